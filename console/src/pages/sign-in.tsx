import { useQueryClient } from '@tanstack/react-query';
import { KeyOutlined } from '@ant-design/icons';
import { Alert, Button, Divider, Flex, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api, type Problem } from '../api/client';
import { cancelled, signInWithPasskey } from '../hooks/passkeys';
import { showFieldProblems } from '../hooks/problem-fields';
import { CurrentPasswordField, TotpCodeField } from '../layout/credential-fields';
import { LanguageSwitch } from '../layout/language-switch';
import { problemCode, retryAfterMinutes } from '../problems';

interface Credentials {
  email: string;
  password: string;
  totp: string;
}

/** Only a path of the console itself: `next` comes from the address bar, so it must not lead elsewhere. */
const safeNext = (next: string | null) => (next && /^\/(?![/\\])/.test(next) ? next : '/');

/** Sign-in with email, password and the authenticator's code (POST /v1/session sets the session cookie). */
export function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Credentials>();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  const labels: Record<string, string> = {
    email: t('signIn.email'),
    password: t('signIn.password'),
    totp: t('signIn.totp'),
  };

  const signedIn = async () => {
    await queryClient.invalidateQueries({ queryKey: ['me'] });
    await navigate(safeNext(params.get('next')), { replace: true });
  };

  const passkey = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const answer = await signInWithPasskey();
      if (answer.response.ok) return await signedIn();
      const code = problemCode((answer.error as Problem | undefined)?.type);
      setFailure(
        code === 'sign-in-locked'
          ? t('signIn.locked', { minutes: retryAfterMinutes(answer.response.headers) })
          : t('signIn.passkeyRefused'),
      );
    } catch (error) {
      setFailure(cancelled(error) ? t('signIn.passkeyCancelled') : t('signIn.passkeyFailed'));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (values: Credentials) => {
    setBusy(true);
    setFailure(undefined);
    try {
      const answer = await api.POST('/v1/session', { body: values });
      if (answer.response.ok) return await signedIn();
      const problem = answer.error as Problem | undefined;
      const code = problemCode(problem?.type);
      if (code === 'invalid-credentials') setFailure(t('signIn.invalidCredentials'));
      else if (code === 'sign-in-locked') {
        setFailure(t('signIn.locked', { minutes: retryAfterMinutes(answer.response.headers) }));
      } else {
        const rest = showFieldProblems(form, problem, t, (path) => labels[String(path[0])]);
        if (rest.length > 0) setFailure(rest.join(' '));
        else if (!problem?.errors) setFailure(t('errors.refused', { status: answer.response.status }));
      }
    } catch {
      setFailure(t('errors.unreachable'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Flex justify="center" style={{ minHeight: '100vh', padding: 16, background: '#f5f5f5' }} align="center">
      {/* A plain panel, not antd's Card: the first bundle stays small (Card brings Tabs and Skeleton). */}
      <main style={{ width: '100%', maxWidth: 400, background: '#fff', borderRadius: 8, padding: 24 }}>
        <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('signIn.title')}
          </Typography.Title>
          <LanguageSwitch />
        </Flex>
        <Typography.Paragraph type="secondary">{t('signIn.intro')}</Typography.Paragraph>
        {failure && <Alert type="error" role="alert" title={failure} style={{ marginBottom: 16 }} />}
        <Button type="primary" icon={<KeyOutlined />} block size="large" onClick={passkey} loading={busy}>
          {t('signIn.passkey')}
        </Button>
        <Divider plain>{t('signIn.orPassword')}</Divider>
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} name="sign-in">
          <Form.Item
            name="email"
            label={labels.email}
            rules={[{ required: true, type: 'email', message: t('signIn.emailRequired') }]}
          >
            <Input type="email" autoComplete="username" inputMode="email" />
          </Form.Item>
          <CurrentPasswordField name="password" label={labels.password} />
          <TotpCodeField name="totp" label={labels.totp} hint={t('signIn.totpHint')} />
          <Button htmlType="submit" block loading={busy}>
            {t('signIn.submit')}
          </Button>
        </Form>
      </main>
    </Flex>
  );
}
