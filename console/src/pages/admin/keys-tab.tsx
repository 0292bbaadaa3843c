import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { ScrollTable } from '../../layout/scroll-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { when } from '../../format';
import { useFailure } from '../../hooks/failure';
import type { Me } from '../../hooks/use-me';

/** The organisation's API keys, for its machines: created (the secret is shown once) and revoked. */
export function KeysTab({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const orgId = me.organisation.id;
  const org = { params: { path: { orgId } } };
  const queryClient = useQueryClient();
  const { failure, fail, clear } = useFailure();
  const [token, setToken] = useState<string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', orgId, 'keys'] });
  const keys = useQuery({
    queryKey: ['admin', orgId, 'keys'],
    queryFn: async () => ok(await api.GET('/v1/organisations/{orgId}/keys', org)),
  });
  const createKey = useMutation({
    mutationFn: async (name: string) =>
      ok(await api.POST('/v1/organisations/{orgId}/keys', { ...org, body: { name } })),
    onMutate: clear,
    onSuccess: (key) => {
      setToken(key.token);
      void refresh();
    },
    onError: fail,
  });
  const revokeKey = useMutation({
    mutationFn: async (keyId: string) =>
      ok(await api.DELETE('/v1/organisations/{orgId}/keys/{keyId}', { params: { path: { orgId, keyId } } })),
    onSuccess: refresh,
    onError: fail,
  });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {failure && <Alert type="error" role="alert" title={failure} closable onClose={clear} />}
      <Card size="small" title={t('admin.keys')}>
        <Form
          layout="inline"
          name="api-key"
          onFinish={({ name }: { name: string }) => createKey.mutate(name)}
        >
          <Form.Item name="name" label={t('admin.keyName')} rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Button htmlType="submit" loading={createKey.isPending}>
            {t('admin.createKey')}
          </Button>
        </Form>
        {token && (
          <Alert
            type="warning"
            style={{ marginBlock: 12 }}
            title={t('admin.keyOnce')}
            description={
              <Typography.Text copyable code data-testid="api-key-token" style={{ wordBreak: 'break-all' }}>
                {token}
              </Typography.Text>
            }
          />
        )}
        <ScrollTable
          label={t('admin.keys')}
          minWidth={500}
          size="small"
          rowKey="id"
          pagination={false}
          loading={keys.isPending}
          dataSource={keys.data?.items ?? []}
          style={{ marginTop: 12 }}
          columns={[
            { title: t('admin.keyName'), dataIndex: 'name' },
            {
              title: t('admin.created'),
              dataIndex: 'createdAt',
              render: (d: string) => when(d, i18n.language),
            },
            {
              title: t('admin.lastUsed'),
              dataIndex: 'lastUsedAt',
              render: (d: string | null) => when(d, i18n.language),
            },
            {
              title: t('admin.actions'),
              key: 'actions',
              render: (_: unknown, key) =>
                key.revokedAt ? (
                  t('admin.revoked')
                ) : (
                  <Button size="small" danger onClick={() => revokeKey.mutate(key.id)}>
                    {t('admin.revoke')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
