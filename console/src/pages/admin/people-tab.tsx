import { DeleteOutlined, UnlockOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Select, Space, Typography } from 'antd';
import { ScrollTable } from '../../layout/scroll-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { when } from '../../format';
import { useFailure } from '../../hooks/failure';
import type { Me, Role } from '../../hooks/use-me';

const ROLES: Role[] = ['viewer', 'reporter', 'administrator'];

/**
 * The organisation's people: an administrator invites (the link is shown once), sets roles, removes people and
 * releases a locked sign-in; and withdraws invitations not yet accepted.
 */
export function PeopleTab({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const orgId = me.organisation.id;
  const org = { params: { path: { orgId } } };
  const queryClient = useQueryClient();
  const { failure, fail, clear } = useFailure();
  const [link, setLink] = useState<string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', orgId] });
  const users = useQuery({
    queryKey: ['admin', orgId, 'users'],
    queryFn: async () => ok(await api.GET('/v1/organisations/{orgId}/users', org)),
  });
  const invitations = useQuery({
    queryKey: ['admin', orgId, 'invitations'],
    queryFn: async () => ok(await api.GET('/v1/organisations/{orgId}/invitations', org)),
  });
  const invite = useMutation({
    mutationFn: async (body: { email: string; role: Role }) =>
      ok(await api.POST('/v1/organisations/{orgId}/invitations', { ...org, body })),
    onMutate: clear,
    onSuccess: (answer) => {
      setLink(answer.link);
      void refresh();
    },
    onError: fail,
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
    onError: fail,
  });
  const removeUser = useMutation({
    mutationFn: async (userId: string) =>
      ok(
        await api.DELETE('/v1/organisations/{orgId}/users/{userId}', { params: { path: { orgId, userId } } }),
      ),
    onSuccess: refresh,
    onError: fail,
  });
  const unlock = useMutation({
    mutationFn: async (userId: string) =>
      ok(
        await api.POST('/v1/organisations/{orgId}/users/{userId}/unlock', {
          params: { path: { orgId, userId } },
        }),
      ),
    onError: fail,
  });
  const withdraw = useMutation({
    mutationFn: async (invitationId: string) =>
      ok(
        await api.DELETE('/v1/organisations/{orgId}/invitations/{invitationId}', {
          params: { path: { orgId, invitationId } },
        }),
      ),
    onSuccess: refresh,
    onError: fail,
  });

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {failure && <Alert type="error" role="alert" title={failure} closable onClose={clear} />}

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
        <ScrollTable
          label={t('admin.users')}
          minWidth={600}
          size="small"
          rowKey="id"
          pagination={false}
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
        <ScrollTable
          label={t('admin.pending')}
          minWidth={500}
          size="small"
          rowKey="id"
          pagination={false}
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
    </Space>
  );
}
