import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, Result, Spin, Steps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, api, ok } from '../api/client';
import { showFieldProblems } from '../hooks/problem-fields';
import { NewPasswordFields } from '../layout/credential-fields';
import { LanguageSwitch } from '../layout/language-switch';
import { TotpQr } from '../layout/totp-qr';

interface Account {
  name: string;
  password: string;
  confirm: string;
}

/**
 * /console/invitations/<token>: the invited person chooses a name and password, then adds the TOTP secret to an
 * authenticator app (QR code, or the secret typed in) and goes on to sign in.
 */
export function InvitationPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const [form] = Form.useForm<Account>();
  const [failure, setFailure] = useState<string>();
  const invitation = useQuery({
    queryKey: ['invitation', token],
    queryFn: async () => ok(await api.GET('/v1/invitations/{token}', { params: { path: { token } } })),
  });
  const labels: Record<string, string> = { name: t('invitation.name'), password: t('invitation.password') };
  const accept = useMutation({
    mutationFn: async ({ name, password }: Account) =>
      ok(
        await api.POST('/v1/invitations/{token}/accept', {
          params: { path: { token } },
          body: { name, password },
        }),
      ),
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFailure(t('errors.unreachable'));
      const rest = showFieldProblems(form, error.problem, t, (path) => labels[String(path[0])]);
      if (error.status === 404) setFailure(t('invitation.gone'));
      else if (rest.length > 0) setFailure(rest.join(' '));
      else if (!error.problem?.errors) setFailure(t('errors.refused', { status: error.status }));
    },
  });

  let body;
  if (invitation.isPending) body = <Spin aria-label={t('common.loading')} />;
  else if (invitation.isError)
    body = (
      <Result
        status="warning"
        title={
          invitation.error instanceof ApiError && invitation.error.status === 404
            ? t('invitation.gone')
            : t('errors.unreachable')
        }
      />
    );
  else if (accept.data)
    body = (
      <>
        <Steps
          size="small"
          current={1}
          items={[{ title: t('invitation.stepAccount') }, { title: t('invitation.stepTotp') }]}
          style={{ marginBottom: 16 }}
        />
        <Typography.Paragraph>{t('invitation.totpIntro')}</Typography.Paragraph>
        <Flex justify="center">
          <TotpQr uri={accept.data.totp.uri} alt={t('invitation.qrAlt')} />
        </Flex>
        <Typography.Paragraph>
          {t('invitation.secret')}{' '}
          <Typography.Text code copyable data-testid="totp-secret">
            {accept.data.totp.secret}
          </Typography.Text>
        </Typography.Paragraph>
        <Link to="/sign-in">
          <Button type="primary" block>
            {t('invitation.toSignIn')}
          </Button>
        </Link>
      </>
    );
  else
    body = (
      <>
        <Descriptions
          column={1}
          size="small"
          items={[
            { key: 'org', label: t('invitation.organisation'), children: invitation.data.organisation.name },
            { key: 'email', label: t('invitation.email'), children: invitation.data.email },
            { key: 'role', label: t('invitation.role'), children: t(`roles.${invitation.data.role}`) },
          ]}
          style={{ marginBottom: 16 }}
        />
        {failure && <Alert type="error" role="alert" title={failure} style={{ marginBottom: 16 }} />}
        <Form
          form={form}
          layout="vertical"
          requiredMark={false}
          name="invitation"
          onFinish={(values) => {
            setFailure(undefined);
            accept.mutate(values);
          }}
        >
          <Form.Item
            name="name"
            label={labels.name}
            rules={[{ required: true, message: t('invitation.nameRequired') }]}
          >
            <Input autoComplete="name" />
          </Form.Item>
          <NewPasswordFields name="password" label={labels.password} />
          <Button type="primary" htmlType="submit" block loading={accept.isPending}>
            {t('invitation.accept')}
          </Button>
        </Form>
      </>
    );

  return (
    <Flex justify="center" style={{ minHeight: '100vh', padding: 16, background: '#f5f5f5' }} align="center">
      <main style={{ width: '100%', maxWidth: 440 }}>
        <Card>
          <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
            <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
              {t('invitation.title')}
            </Typography.Title>
            <LanguageSwitch />
          </Flex>
          {body}
        </Card>
      </main>
    </Flex>
  );
}
