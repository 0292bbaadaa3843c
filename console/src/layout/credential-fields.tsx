// The form fields a person's credentials are entered in, the same wherever they are asked for (sign-in, invitation,
// account): the browser's password manager and one-time-code autofill recognise them by their autocomplete names.
import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

interface FieldProps {
  name: string;
  label: string | undefined;
}

/** A password the person has now (sign-in, or proving it before a change). */
export function CurrentPasswordField({ name, label }: FieldProps) {
  const { t } = useTranslation();
  return (
    <Form.Item name={name} label={label} rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
      <Input.Password autoComplete="current-password" />
    </Form.Item>
  );
}

/** A new password and the same again (the registry's rule: 12 characters or more). */
export function NewPasswordFields({ name, label }: FieldProps) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name={name}
        label={label}
        extra={t('invitation.passwordHint')}
        rules={[{ required: true, min: 12, message: t('invitation.passwordTooShort') }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        name="confirm"
        label={t('invitation.confirm')}
        dependencies={[name]}
        rules={[
          { required: true, message: t('invitation.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: async (_rule, value) => {
              if (value && value !== getFieldValue(name)) throw new Error(t('invitation.mismatch'));
            },
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}

/** A six-digit code from the authenticator app. */
export function TotpCodeField({ name, label, hint }: FieldProps & { hint: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={name}
      label={label}
      extra={hint}
      rules={[{ required: true, pattern: /^[0-9]{6}$/, message: t('signIn.totpRequired') }]}
    >
      <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} style={{ maxWidth: 160 }} />
    </Form.Item>
  );
}
