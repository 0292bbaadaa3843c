import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Select, Space, Tag } from 'antd';
import { ScrollTable } from '../../layout/scroll-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import type { paths } from '../../api/schema';
import { when } from '../../format';
import { useFailure } from '../../hooks/failure';

type Delivery =
  paths['/v1/subscriptions/{id}/deliveries']['get']['responses'][200]['content']['application/json']['items'][number];
type State = Delivery['state'];

const STATES: State[] = ['pending', 'delivered', 'dead'];
const STATE_COLOURS: Record<State, string> = { pending: 'processing', delivered: 'success', dead: 'error' };
const PAGE = 50;

/**
 * One subscription's deliveries, oldest first as the API lists them (a page at a time), optionally of one state
 * (dead: the dead letters); a delivered or dead one can be sent again.
 */
export function Deliveries({ subscription }: { subscription: { id: string; url: string } }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const { failure, fail, clear } = useFailure();
  const [state, setState] = useState<State>();
  const id = subscription.id;
  const queryKey = ['subscriptions', id, 'deliveries', state ?? 'all'];
  const deliveries = useInfiniteQuery({
    queryKey,
    initialPageParam: undefined as string | undefined,
    queryFn: async ({ pageParam }) =>
      ok(
        await api.GET('/v1/subscriptions/{id}/deliveries', {
          params: { path: { id }, query: { state, limit: PAGE, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const redeliver = useMutation({
    mutationFn: async (deliveryId: string) =>
      ok(await api.POST('/v1/deliveries/{id}/redeliver', { params: { path: { id: deliveryId } } })),
    onMutate: clear,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['subscriptions', id, 'deliveries'] }),
    onError: fail,
  });
  const stateName = (s: State) => t(`deliveryStates.${s}`);
  return (
    <Card size="small" title={t('webhooks.deliveriesTo', { url: subscription.url })}>
      <Space direction="vertical" style={{ width: '100%' }}>
        {failure && <Alert type="error" role="alert" title={failure} closable onClose={clear} />}
        <Select<State | 'all'>
          aria-label={t('webhooks.state')}
          value={state ?? 'all'}
          onChange={(chosen) => setState(chosen === 'all' ? undefined : chosen)}
          options={[
            { value: 'all', label: t('webhooks.allStates') },
            ...STATES.map((s) => ({ value: s, label: stateName(s) })),
          ]}
          style={{ minWidth: 160 }}
        />
        <ScrollTable
          label={t('webhooks.deliveries')}
          minWidth={600}
          size="small"
          rowKey="id"
          pagination={false}
          loading={deliveries.isPending}
          dataSource={deliveries.data?.pages.flatMap((p) => p.items) ?? []}
          locale={{ emptyText: t('webhooks.noDeliveries') }}
          columns={[
            {
              title: t('admin.created'),
              dataIndex: 'createdAt',
              render: (d: string) => when(d, i18n.language),
            },
            {
              title: t('webhooks.state'),
              dataIndex: 'state',
              render: (s: State) => (
                <Tag color={STATE_COLOURS[s]} data-testid="delivery-state">
                  {stateName(s)}
                </Tag>
              ),
            },
            { title: t('webhooks.attempts'), dataIndex: 'attempts' },
            {
              title: t('webhooks.lastAnswer'),
              key: 'answer',
              render: (_: unknown, d: Delivery) =>
                d.lastError ?? (d.lastStatus === null ? '—' : `HTTP ${d.lastStatus}`),
            },
            {
              title: t('admin.actions'),
              key: 'actions',
              render: (_: unknown, d: Delivery) => (
                <Button
                  size="small"
                  disabled={d.state === 'pending'}
                  loading={redeliver.isPending && redeliver.variables === d.id}
                  onClick={() => redeliver.mutate(d.id)}
                >
                  {t('webhooks.redeliver')}
                </Button>
              ),
            },
          ]}
        />
        {deliveries.hasNextPage && (
          <Button onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>
            {t('webhooks.more')}
          </Button>
        )}
      </Space>
    </Card>
  );
}
