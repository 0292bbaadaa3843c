import { DeleteOutlined, KeyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Input, List, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOutletContext } from 'react-router';
import { api, ok } from '../api/client';
import { when } from '../format';
import { addPasskey, cancelled } from '../hooks/passkeys';
import { roleOf, type Me } from '../hooks/use-me';
import { PasswordCard } from './password-card';
import { TotpCard } from './totp-card';

/**
 * /console/account: who is signed in; their passkeys (added here, with the browser's WebAuthn dialog), password and
 * authenticator (TOTP) secret.
 */
export function AccountPage() {
  const { t, i18n } = useTranslation();
  const me = useOutletContext<Me>();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const passkeys = useQuery({
    queryKey: ['passkeys'],
    queryFn: async () => ok(await api.GET('/v1/me/passkeys')),
  });
  const add = useMutation({
    mutationFn: (name: string) => addPasskey(name),
    onMutate: () => setFailure(undefined),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['passkeys'] }),
    onError: (error) => setFailure(cancelled(error) ? t('account.cancelled') : t('account.addFailed')),
  });
  const remove = useMutation({
    mutationFn: async (passkeyId: string) =>
      ok(await api.DELETE('/v1/me/passkeys/{passkeyId}', { params: { path: { passkeyId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['passkeys'] }),
  });
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('account.title')}
      </Typography.Title>
      <Card size="small">
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'name', label: t('account.name'), children: me.user?.name ?? '—' },
            { key: 'email', label: t('account.email'), children: me.user?.email ?? '—' },
            { key: 'org', label: t('account.organisation'), children: me.organisation.name },
            { key: 'role', label: t('account.role'), children: t(`roles.${roleOf(me)}`) },
          ]}
        />
      </Card>
      <Card size="small" title={t('account.passkeys')}>
        <Typography.Paragraph type="secondary">{t('account.passkeysIntro')}</Typography.Paragraph>
        {failure && <Alert type="error" role="alert" title={failure} style={{ marginBottom: 12 }} />}
        <List
          size="small"
          loading={passkeys.isPending}
          dataSource={passkeys.data?.items ?? []}
          locale={{ emptyText: t('account.noPasskeys') }}
          renderItem={(p) => (
            <List.Item
              data-testid="passkey"
              actions={[
                <Button
                  key="remove"
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={t('account.remove', { name: p.name })}
                  onClick={() => remove.mutate(p.id)}
                />,
              ]}
            >
              <List.Item.Meta
                title={p.name}
                description={t('account.passkeyDates', {
                  created: when(p.createdAt, i18n.language),
                  used: when(p.lastUsedAt, i18n.language),
                })}
              />
            </List.Item>
          )}
        />
        <Form
          layout="inline"
          name="add-passkey"
          style={{ marginTop: 12, rowGap: 8 }}
          initialValues={{ name: t('account.defaultName') }}
          onFinish={({ name }: { name: string }) => add.mutate(name)}
        >
          <Form.Item name="name" label={t('account.passkeyName')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<KeyOutlined />} loading={add.isPending}>
            {t('account.add')}
          </Button>
        </Form>
      </Card>
      <PasswordCard />
      <TotpCard />
    </Space>
  );
}
