import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, List, Row, Spin, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useOutletContext } from 'react-router';
import { api, ok } from '../api/client';
import type { Me } from '../hooks/use-me';

const SECTIONS = ['lateReports', 'openFindings', 'recalls', 'openIncidents'] as const;

/** One line of a to-do list item, whatever its kind: what it is about, and the robot, linked, if it names one. */
function ItemLine({ item }: { item: Record<string, unknown> }) {
  const robotId = typeof item.robotId === 'string' ? item.robotId : undefined;
  const text = [
    'type',
    'rule',
    'recall',
    'number',
    'summary',
    'category',
    'severity',
    'state',
    'dueAt',
    'eventTime',
  ]
    .flatMap((k) => (typeof item[k] === 'string' ? [item[k] as string] : []))
    .slice(0, 3)
    .join(' · ');
  return (
    <List.Item>
      <Typography.Text>
        {robotId && (
          <Link to={`/robots/${encodeURIComponent(robotId)}`}>
            <Typography.Text code>{robotId}</Typography.Text>
          </Link>
        )}{' '}
        {text}
      </Typography.Text>
    </List.Item>
  );
}

/** /console/: what needs doing in the signed-in organisation (GET /v1/organisations/{orgId}/todo). */
export function HomePage() {
  const { t } = useTranslation();
  const me = useOutletContext<Me>();
  const orgId = me.organisation.id;
  const todo = useQuery({
    queryKey: ['todo', orgId],
    queryFn: async () => ok(await api.GET('/v1/organisations/{orgId}/todo', { params: { path: { orgId } } })),
  });
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('home.title')}
      </Typography.Title>
      {todo.isError && <Alert type="error" role="alert" title={t('errors.loadFailed')} />}
      {todo.isPending ? (
        <Spin aria-label={t('common.loading')} />
      ) : todo.data ? (
        <Row gutter={[16, 16]}>
          {SECTIONS.map((section) => {
            const part = todo.data[section];
            return (
              <Col xs={24} md={12} key={section}>
                <Card size="small" title={t(`home.${section}`)} data-testid={`todo-${section}`}>
                  <Statistic title={t('home.count')} value={part.count} />
                  <List
                    size="small"
                    dataSource={part.latest as Record<string, unknown>[]}
                    locale={{ emptyText: t('home.nothing') }}
                    renderItem={(item) => <ItemLine item={item} />}
                  />
                </Card>
              </Col>
            );
          })}
        </Row>
      ) : null}
    </>
  );
}
