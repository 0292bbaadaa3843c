import { DeleteOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOutletContext } from 'react-router';
import { ApiError, api, ok } from '../api/client';
import type { Me, Role } from '../hooks/use-me';

const ROLES: Role[] = ['viewer', 'reporter', 'administrator'];

const when = (iso: string | null | undefined, language: string) =>
  iso ? new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/**
 * /console/admin: an organisation's administrator invites people (the link is shown once), sets their roles,
 * removes them and releases a locked sign-in; and creates and revokes the organisation's API keys (a key's secret
 * is shown once).
 */
export function AdminPage() {
  const { t, i18n } = useTranslation();
  const me = useOutletContext<Me>();
  const orgId = me.organisation.id;
  const org = { params: { path: { orgId } } };
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string>();
  const [link, setLink] = useState<string>();
  const [token, setToken] = useState<string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', orgId] });
  const failed = (error: unknown) =>
    setFailure(
      error instanceof ApiError ? (error.problem?.detail ?? error.message) : t('errors.unreachable'),
    );

  const users = useQuery({
    queryKey: ['admin', orgId, 'users'],
    queryFn: async () => ok(await api.GET('/v1/organisations/{orgId}/users', org)),
  });
  const invitations = useQuery({
    queryKey: ['admin', orgId, 'invitations'],
    queryFn: async () => ok(await api.GET('/v1/organisations/{orgId}/invitations', org)),
  });
  const keys = useQuery({
    queryKey: ['admin', orgId, 'keys'],
    queryFn: async () => ok(await api.GET('/v1/organisations/{orgId}/keys', org)),
  });
  const invite = useMutation({
    mutationFn: async (body: { email: string; role: Role }) =>
      ok(await api.POST('/v1/organisations/{orgId}/invitations', { ...org, body })),
    onMutate: () => setFailure(undefined),
    onSuccess: (answer) => {
      setLink(answer.link);
      void refresh();
    },
    onError: failed,
  });
  const setRole = useMutation({
    mutationFn: async ({ userId, role }: { userId: string; role: Role }) =>
      ok(
        await api.PATCH('/v1/organisations/{orgId}/users/{userId}', {
          params: { path: { orgId, userId } },
          body: { role },
        }),
      ),
    onSuccess: refresh,
    onError: failed,
  });
  const removeUser = useMutation({
    mutationFn: async (userId: string) =>
      ok(
        await api.DELETE('/v1/organisations/{orgId}/users/{userId}', { params: { path: { orgId, userId } } }),
      ),
    onSuccess: refresh,
    onError: failed,
  });
  const unlock = useMutation({
    mutationFn: async (userId: string) =>
      ok(
        await api.POST('/v1/organisations/{orgId}/users/{userId}/unlock', {
          params: { path: { orgId, userId } },
        }),
      ),
    onError: failed,
  });
  const withdraw = useMutation({
    mutationFn: async (invitationId: string) =>
      ok(
        await api.DELETE('/v1/organisations/{orgId}/invitations/{invitationId}', {
          params: { path: { orgId, invitationId } },
        }),
      ),
    onSuccess: refresh,
    onError: failed,
  });
  const createKey = useMutation({
    mutationFn: async (name: string) =>
      ok(await api.POST('/v1/organisations/{orgId}/keys', { ...org, body: { name } })),
    onMutate: () => setFailure(undefined),
    onSuccess: (key) => {
      setToken(key.token);
      void refresh();
    },
    onError: failed,
  });
  const revokeKey = useMutation({
    mutationFn: async (keyId: string) =>
      ok(await api.DELETE('/v1/organisations/{orgId}/keys/{keyId}', { params: { path: { orgId, keyId } } })),
    onSuccess: refresh,
    onError: failed,
  });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('admin.title', { organisation: me.organisation.name })}
      </Typography.Title>
      {failure && (
        <Alert type="error" role="alert" title={failure} closable onClose={() => setFailure(undefined)} />
      )}

      <Card size="small" title={t('admin.invite')}>
        <Form
          layout="vertical"
          name="invite"
          initialValues={{ role: 'reporter' }}
          onFinish={(values: { email: string; role: Role }) => invite.mutate(values)}
        >
          <Form.Item
            name="email"
            label={t('admin.email')}
            rules={[{ required: true, type: 'email', message: t('signIn.emailRequired') }]}
          >
            <Input type="email" autoComplete="off" />
          </Form.Item>
          <Form.Item name="role" label={t('admin.role')}>
            <Select
              aria-label={t('admin.role')}
              options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={invite.isPending}>
            {t('admin.sendInvitation')}
          </Button>
        </Form>
        {link && (
          <Alert
            type="success"
            style={{ marginTop: 12 }}
            title={t('admin.linkOnce')}
            description={
              <Typography.Text copyable data-testid="invitation-link" style={{ wordBreak: 'break-all' }}>
                {link}
              </Typography.Text>
            }
          />
        )}
      </Card>

      <Card size="small" title={t('admin.users')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: 600 }}
          loading={users.isPending}
          dataSource={users.data?.items ?? []}
          columns={[
            { title: t('admin.name'), dataIndex: 'name' },
            { title: t('admin.email'), dataIndex: 'email' },
            {
              title: t('admin.role'),
              dataIndex: 'role',
              render: (role: Role, user) => (
                <Select
                  size="small"
                  aria-label={t('admin.roleOf', { name: user.name })}
                  value={role}
                  disabled={user.id === me.user?.id}
                  onChange={(next: Role) => setRole.mutate({ userId: user.id, role: next })}
                  options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
                  style={{ minWidth: 120 }}
                />
              ),
            },
            {
              title: t('admin.actions'),
              key: 'actions',
              render: (_: unknown, user) => (
                <Space>
                  <Button
                    size="small"
                    icon={<UnlockOutlined />}
                    aria-label={t('admin.unlock', { name: user.name })}
                    title={t('admin.unlock', { name: user.name })}
                    onClick={() => unlock.mutate(user.id)}
                  />
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    disabled={user.id === me.user?.id}
                    aria-label={t('admin.remove', { name: user.name })}
                    title={t('admin.remove', { name: user.name })}
                    onClick={() => removeUser.mutate(user.id)}
                  />
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card size="small" title={t('admin.pending')}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: 500 }}
          loading={invitations.isPending}
          dataSource={invitations.data?.items ?? []}
          locale={{ emptyText: t('admin.noPending') }}
          columns={[
            { title: t('admin.email'), dataIndex: 'email' },
            { title: t('admin.role'), dataIndex: 'role', render: (r: Role) => t(`roles.${r}`) },
            {
              title: t('admin.expires'),
              dataIndex: 'expiresAt',
              render: (d: string) => when(d, i18n.language),
            },
            {
              title: t('admin.actions'),
              key: 'actions',
              render: (_: unknown, inv) => (
                <Button size="small" onClick={() => withdraw.mutate(inv.id)}>
                  {t('admin.withdraw')}
                </Button>
              ),
            },
          ]}
        />
      </Card>

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
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: 500 }}
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
