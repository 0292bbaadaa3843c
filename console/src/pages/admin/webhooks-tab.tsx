import { DeleteOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Input, Space, Tag, Typography } from 'antd';
import { ScrollTable } from '../../layout/scroll-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, ok } from '../../api/client';
import type { paths } from '../../api/schema';
import { when } from '../../format';
import { useFailure } from '../../hooks/failure';
import { showFieldProblems } from '../../hooks/problem-fields';
import { Deliveries } from './deliveries';

type Subscription =
  paths['/v1/subscriptions']['get']['responses'][200]['content']['application/json']['items'][number];
type Topic = Subscription['topics'][number];

/** The API's notice topics, by their first part (as the translations group them). */
const TOPIC_GROUPS = {
  recall: ['opened', 'updated', 'affects'],
  robot: ['suspended', 'reinstated'],
  incident: ['reported', 'triaged'],
  compliance: ['finding'],
} as const;
type Groups = typeof TOPIC_GROUPS;
type Listed = { [G in keyof Groups]: `${G}.${Groups[G][number]}` }[keyof Groups];
/** Listed exactly as the API has them, or this is `never` and TOPICS a type error: a new topic gets offered. */
type ApiTopic = [Topic] extends [Listed] ? ([Listed] extends [Topic] ? Topic : never) : never;
const TOPICS: ApiTopic[] = (Object.keys(TOPIC_GROUPS) as (keyof Groups)[]).flatMap((group) =>
  TOPIC_GROUPS[group].map((name) => `${group}.${name}` as Listed),
);

interface NewSubscription {
  url: string;
  topics: Topic[];
}

/**
 * The organisation's webhook subscriptions (docs/notifications.md): created with a URL and topics (the signing
 * secret is shown once), removed, and each one's deliveries with their outcome, to send again.
 */
export function WebhooksTab() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<NewSubscription>();
  const { failure, fail, clear } = useFailure();
  const [secret, setSecret] = useState<string>();
  const [shown, setShown] = useState<Subscription>();
  const labels: Record<string, string> = { url: t('webhooks.url'), topics: t('webhooks.topics') };
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['subscriptions'] });
  const subscriptions = useQuery({
    queryKey: ['subscriptions'],
    queryFn: async () => ok(await api.GET('/v1/subscriptions')),
  });
  const create = useMutation({
    mutationFn: async (body: NewSubscription) => ok(await api.POST('/v1/subscriptions', { body })),
    onMutate: clear,
    onSuccess: (created) => {
      setSecret(created.secret);
      form.resetFields();
      void refresh();
    },
    onError: (error) => {
      if (!(error instanceof ApiError) || !error.problem?.errors) return fail(error);
      const rest = showFieldProblems(form, error.problem, t, (path) => labels[String(path[0])]);
      if (rest.length > 0) fail(error);
    },
  });
  const remove = useMutation({
    mutationFn: async (id: string) =>
      ok(await api.DELETE('/v1/subscriptions/{id}', { params: { path: { id } } })),
    onSuccess: (removed) => {
      if (shown?.id === removed.id) setShown(undefined);
      void refresh();
    },
    onError: fail,
  });
  const topicName = (topic: Topic) => t(`topics.${topic}`);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {failure && <Alert type="error" role="alert" title={failure} closable onClose={clear} />}
      <Card size="small" title={t('webhooks.create')}>
        <Typography.Paragraph type="secondary">{t('webhooks.intro')}</Typography.Paragraph>
        <Form form={form} layout="vertical" name="subscription" onFinish={(v) => create.mutate(v)}>
          <Form.Item
            name="url"
            label={labels.url}
            extra={t('webhooks.urlHint')}
            rules={[{ required: true, message: t('errors.required', { field: labels.url }) }]}
          >
            <Input type="url" inputMode="url" autoComplete="off" placeholder="https://" />
          </Form.Item>
          <Form.Item
            name="topics"
            label={labels.topics}
            // A validator, not `required`: antd would put aria-required on the group, which a group may not have.
            rules={[
              {
                validator: async (_rule, topics?: Topic[]) => {
                  if (!topics?.length) throw new Error(t('webhooks.topicsRequired'));
                },
              },
            ]}
          >
            <Checkbox.Group options={TOPICS.map((topic) => ({ value: topic, label: topicName(topic) }))} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('webhooks.subscribe')}
          </Button>
        </Form>
        {secret && (
          <Alert
            type="warning"
            style={{ marginTop: 12 }}
            title={t('webhooks.secretOnce')}
            description={
              <Typography.Text copyable code data-testid="webhook-secret" style={{ wordBreak: 'break-all' }}>
                {secret}
              </Typography.Text>
            }
          />
        )}
      </Card>

      <Card size="small" title={t('webhooks.subscriptions')}>
        <ScrollTable
          label={t('webhooks.subscriptions')}
          minWidth={600}
          size="small"
          rowKey="id"
          pagination={false}
          loading={subscriptions.isPending}
          dataSource={subscriptions.data?.items ?? []}
          locale={{ emptyText: t('webhooks.none') }}
          columns={[
            {
              title: labels.url,
              dataIndex: 'url',
              render: (url: string) => <span style={{ wordBreak: 'break-all' }}>{url}</span>,
            },
            {
              title: labels.topics,
              dataIndex: 'topics',
              render: (topics: Topic[]) => topics.map((topic) => <Tag key={topic}>{topicName(topic)}</Tag>),
            },
            {
              title: t('admin.created'),
              dataIndex: 'createdAt',
              render: (d: string) => when(d, i18n.language),
            },
            {
              title: t('admin.actions'),
              key: 'actions',
              render: (_: unknown, s: Subscription) => (
                <Space>
                  <Button size="small" onClick={() => setShown(shown?.id === s.id ? undefined : s)}>
                    {t('webhooks.deliveries')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('webhooks.remove', { url: s.url })}
                    title={t('webhooks.remove', { url: s.url })}
                    onClick={() => remove.mutate(s.id)}
                  />
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {shown && <Deliveries subscription={shown} />}
    </Space>
  );
}
