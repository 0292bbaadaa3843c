import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Form, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, api, ok } from '../api/client';
import { useFailure } from '../hooks/failure';
import { showFieldProblems } from '../hooks/problem-fields';
import { CurrentPasswordField, TotpCodeField } from '../layout/credential-fields';
import { TotpQr } from '../layout/totp-qr';

interface Confirmation {
  password: string;
  code: string;
}

/**
 * The account page's authenticator change, in two steps as at invitation: a new secret shown once (QR code and
 * text), then the current password and a code of the new secret to confirm it. Until then the old one signs in;
 * afterwards the registry ends the person's other sessions.
 */
export function TotpCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Confirmation>();
  const { failure, fail, clear } = useFailure();
  const labels: Record<string, string> = {
    password: t('credentials.currentPassword'),
    code: t('signIn.totp'),
  };
  const start = useMutation({
    mutationFn: async () => ok(await api.POST('/v1/me/totp/options', { body: {} })),
    onMutate: clear,
    onError: fail,
  });
  const confirm = useMutation({
    mutationFn: async (body: Confirmation) => ok(await api.POST('/v1/me/totp', { body })),
    onMutate: clear,
    onSuccess: () => {
      form.resetFields();
      start.reset();
    },
    onError: (error) => {
      if (!(error instanceof ApiError) || !error.problem?.errors) return fail(error);
      const rest = showFieldProblems(form, error.problem, t, (path) => labels[String(path[0])]);
      if (rest.length > 0) fail(error);
    },
  });
  const pending = start.data;
  return (
    <Card size="small" title={t('credentials.totp')}>
      {failure && <Alert type="error" role="alert" title={failure} style={{ marginBottom: 12 }} />}
      {confirm.isSuccess && !pending && (
        <Alert type="success" title={t('credentials.totpChanged')} style={{ marginBottom: 12 }} />
      )}
      {!pending ? (
        <>
          <Typography.Paragraph type="secondary">{t('credentials.totpIntro')}</Typography.Paragraph>
          <Button onClick={() => start.mutate()} loading={start.isPending}>
            {t('credentials.newTotp')}
          </Button>
        </>
      ) : (
        <>
          <Typography.Paragraph>{t('credentials.totpScan')}</Typography.Paragraph>
          <Flex justify="center">
            <TotpQr uri={pending.uri} alt={t('invitation.qrAlt')} />
          </Flex>
          <Typography.Paragraph>
            {t('invitation.secret')}{' '}
            <Typography.Text code copyable data-testid="new-totp-secret" style={{ wordBreak: 'break-all' }}>
              {pending.secret}
            </Typography.Text>
          </Typography.Paragraph>
          <Form form={form} layout="vertical" name="totp" onFinish={(v) => confirm.mutate(v)}>
            <CurrentPasswordField name="password" label={labels.password} />
            <TotpCodeField name="code" label={labels.code} hint={t('credentials.codeHint')} />
            <Button type="primary" htmlType="submit" loading={confirm.isPending}>
              {t('credentials.confirmTotp')}
            </Button>
          </Form>
        </>
      )}
    </Card>
  );
}
