import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, api, ok } from '../api/client';
import { useFailure } from '../hooks/failure';
import { showFieldProblems } from '../hooks/problem-fields';
import { CurrentPasswordField, NewPasswordFields } from '../layout/credential-fields';

interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/**
 * The account page's password change: the current password, and the new one twice (12 characters or more, as at
 * invitation). The registry ends the person's other sessions.
 */
export function PasswordCard() {
  const { t } = useTranslation();
  const [form] = Form.useForm<PasswordChange>();
  const { failure, fail, clear } = useFailure();
  const labels: Record<string, string> = {
    currentPassword: t('credentials.currentPassword'),
    newPassword: t('credentials.newPassword'),
  };
  const change = useMutation({
    mutationFn: async ({ currentPassword, newPassword }: PasswordChange) =>
      ok(await api.PUT('/v1/me/password', { body: { currentPassword, newPassword } })),
    onMutate: clear,
    onSuccess: () => form.resetFields(),
    onError: (error) => {
      if (!(error instanceof ApiError) || !error.problem?.errors) return fail(error);
      const rest = showFieldProblems(form, error.problem, t, (path) => labels[String(path[0])]);
      if (rest.length > 0) fail(error);
    },
  });
  return (
    <Card size="small" title={t('credentials.password')}>
      {failure && <Alert type="error" role="alert" title={failure} style={{ marginBottom: 12 }} />}
      {change.isSuccess && (
        <Alert type="success" title={t('credentials.passwordChanged')} style={{ marginBottom: 12 }} />
      )}
      <Form form={form} layout="vertical" name="password" onFinish={(v) => change.mutate(v)}>
        <CurrentPasswordField name="currentPassword" label={labels.currentPassword} />
        <NewPasswordFields name="newPassword" label={labels.newPassword} />
        <Button type="primary" htmlType="submit" loading={change.isPending}>
          {t('credentials.changePassword')}
        </Button>
      </Form>
    </Card>
  );
}
