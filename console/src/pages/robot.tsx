import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Result,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useOutletContext, useParams } from 'react-router';
import { roleOf, type Me } from '../hooks/use-me';
import { ApiError, api, ok } from '../api/client';
import { when } from '../format';
import type { components } from '../api/schema';
import { useOrganisationNames } from '../hooks/organisation-names';
import { needsPurpose, purposeHeader, usePurpose } from '../hooks/purpose';
import { PurposePrompt } from '../layout/purpose-prompt';
import { ScrollTable } from '../layout/scroll-table';
import { useLogVerdict, VerifiedMark } from './verified-mark';

type Robot = components['schemas']['Robot'];
type Component = NonNullable<Robot['components']>[number];
interface Replacement {
  old?: Partial<Component>;
  new?: Partial<Component>;
}

/** The parts taken out in service (the `replaced` of serviced events): the robot's components before. */
function componentsBefore(events: { type: string; eventTime: string; payload?: unknown }[]) {
  return events.flatMap((e) => {
    const replaced = (e.payload as { replaced?: Replacement[] } | null)?.replaced;
    if (e.type !== 'serviced' || !Array.isArray(replaced)) return [];
    return replaced.map((r, i) => ({ key: `${e.eventTime}-${i}`, ...r.old, until: e.eventTime }));
  });
}

const componentColumns = (t: (k: string) => string) => [
  { title: t('robot.kind'), dataIndex: 'kind', render: (k?: string) => (k ? t(`componentKinds.${k}`) : '—') },
  { title: t('robot.position'), dataIndex: 'position', render: (v?: string) => v ?? '—' },
  { title: t('robot.partManufacturer'), dataIndex: 'manufacturer', render: (v?: string) => v ?? '—' },
  { title: t('robot.partNumber'), dataIndex: 'partNumber' },
  { title: t('robot.serial'), dataIndex: 'serial', render: (v?: string) => v ?? '—' },
  { title: t('robot.lot'), dataIndex: 'lot', render: (v?: string) => v ?? '—' },
];

/** /console/robots/<id>: what the registry lets the caller see of one robot, with its history checked against the log. */
export function RobotPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const me = useOutletContext<Me | undefined>();
  const reports = me !== undefined && roleOf(me) !== 'viewer';
  // Only the organisation that reported an event, or a regulator, may correct it (docs/lifecycle.md).
  const corrects = (reportedBy: string) =>
    reports && (reportedBy === me.organisation.id || me.organisation.roles.includes('regulator'));
  const purpose = usePurpose();
  const path = { params: { path: { id }, header: purposeHeader(purpose) } };
  const robot = useQuery({
    queryKey: ['robot', id, purpose],
    queryFn: async () => ok(await api.GET('/v1/robots/{id}', path)),
  });
  const history = useQuery({
    queryKey: ['history', id, purpose],
    queryFn: async () => ok(await api.GET('/v1/robots/{id}/events', path)),
  });
  // A search of the incidents (by robot): a bulk query, so only with a purpose.
  const incidents = useQuery({
    queryKey: ['incidents', id, purpose],
    queryFn: async () =>
      ok(
        await api.GET('/v1/incidents', {
          params: { query: { robot: id, limit: 50 }, header: purposeHeader(purpose) },
        }),
      ),
    enabled: purpose !== undefined,
  });
  const verdict = useLogVerdict(robot.data?.id, purpose);
  const organisationName = useOrganisationNames((history.data?.events ?? []).map((e) => e.reportedBy));

  if (needsPurpose(robot.error)) return <PurposePrompt />;
  if (robot.isPending) return <Spin aria-label={t('common.loading')} />;
  if (robot.isError)
    return (
      <Result
        status={robot.error instanceof ApiError && robot.error.status === 404 ? '404' : 'error'}
        title={
          robot.error instanceof ApiError && robot.error.status === 404
            ? t('robot.notFound')
            : t('errors.loadFailed')
        }
      />
    );
  const r = robot.data;
  const events = history.data?.events ?? [];
  const proven = new Set(verdict.data?.proven ?? []);
  const base = `/v1/robots/${encodeURIComponent(r.printed)}`;

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Flex wrap gap={8} align="center">
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0, overflowWrap: 'anywhere' }}>
          {r.display}
        </Typography.Title>
        <Tag color="blue">{t(`states.${r.state}`)}</Tag>
        <VerifiedMark verdict={verdict} />
        {reports && (
          <Link to={`/report/${encodeURIComponent(r.printed)}`}>
            <Button type="primary">{t('robot.report')}</Button>
          </Link>
        )}
      </Flex>
      {r.stopUse && (
        <Alert type="error" role="alert" title={t('robot.stopUse', { order: r.stopUse.orderNumber })} />
      )}

      <Card title={t('robot.facts')} size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          items={[
            { key: 'manufacturer', label: t('robot.manufacturer'), children: r.manufacturer.name },
            { key: 'model', label: t('robot.model'), children: `${r.model.name} (${r.model.code})` },
            {
              key: 'category',
              label: t('robot.category'),
              children: t(`modelCategories.${r.model.category}`),
            },
            { key: 'serial', label: t('robot.serialNumber'), children: r.serial },
            { key: 'jurisdiction', label: t('robot.jurisdiction'), children: r.jurisdiction },
            { key: 'produced', label: t('robot.productionMonth'), children: r.productionMonth ?? '—' },
            { key: 'issued', label: t('robot.issuedAt'), children: when(r.issuedAt, i18n.language) },
            { key: 'region', label: t('robot.region'), children: r.site?.region ?? '—' },
            { key: 'access', label: t('robot.access'), children: t(`relations.${r.access.relation}`) },
          ]}
        />
      </Card>

      <Card title={t('robot.certification')} size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            {
              key: 'status',
              label: t('robot.certificationStatus'),
              children: t(`certification.${r.certification.status}`),
            },
            { key: 'standard', label: t('robot.standard'), children: r.certification.standard ?? '—' },
            {
              key: 'until',
              label: t('robot.validUntil'),
              children: when(r.certification.validUntil, i18n.language),
            },
            {
              key: 'number',
              label: t('robot.certificateNumber'),
              children: r.certification.certificateNumber ?? '—',
            },
          ]}
        />
      </Card>

      <Card title={t('robot.timeline')} size="small">
        {history.error instanceof ApiError && history.error.status === 404 ? (
          <Alert type="info" title={t('robot.historyHidden')} />
        ) : history.isError ? (
          <Alert type="warning" title={t('errors.loadFailed')} />
        ) : history.isPending ? (
          <Spin />
        ) : events.length === 0 ? (
          <Empty description={t('robot.noEvents')} />
        ) : (
          <Timeline
            aria-label={t('robot.timeline')}
            items={events.map((e) => ({
              key: e.eventId,
              color: e.late ? 'orange' : e.correctedBy ? 'gray' : 'blue',
              content: (
                <div data-testid="timeline-event" data-type={e.type}>
                  <Typography.Text strong>
                    {t(`eventTypes.${e.type}`, { defaultValue: e.type })}
                  </Typography.Text>{' '}
                  {e.late && <Tag color="orange">{t('robot.late')}</Tag>}
                  {e.correctedBy && <Tag>{t('robot.corrected')}</Tag>}
                  {proven.has(e.eventId) && <Tag color="green">{t('robot.inLog')}</Tag>}
                  {corrects(e.reportedBy) && !e.correctedBy && e.type !== 'corrected' && (
                    <Link
                      to={`/report/${encodeURIComponent(r.printed)}?type=corrected&correctsEventId=${encodeURIComponent(e.eventId)}`}
                    >
                      {t('robot.correct')}
                    </Link>
                  )}
                  <br />
                  <Typography.Text type="secondary">
                    {t('robot.eventLine', {
                      time: when(e.eventTime, i18n.language),
                      recorded: when(e.recordTime, i18n.language),
                      reporter: organisationName(e.reportedBy),
                    })}
                  </Typography.Text>
                </div>
              ),
            }))}
          />
        )}
      </Card>

      <Card title={t('robot.componentsNow')} size="small">
        <ScrollTable
          label={t('robot.componentsNow')}
          size="small"
          rowKey={(c, i) => `${c.partNumber}-${c.serial ?? i}`}
          pagination={false}
          minWidth={600}
          dataSource={r.components ?? []}
          columns={componentColumns(t)}
          locale={{ emptyText: t('robot.noComponents') }}
        />
      </Card>
      <Card title={t('robot.componentsBefore')} size="small">
        <ScrollTable
          label={t('robot.componentsBefore')}
          size="small"
          rowKey="key"
          pagination={false}
          minWidth={600}
          dataSource={componentsBefore(events)}
          columns={[
            ...componentColumns(t),
            {
              title: t('robot.replacedAt'),
              dataIndex: 'until',
              render: (d: string) => when(d, i18n.language),
            },
          ]}
          locale={{ emptyText: t('robot.noReplacements') }}
        />
      </Card>

      <Card title={t('robot.recalls')} size="small">
        {r.recalls.length === 0 ? (
          <Empty description={t('robot.noRecalls')} />
        ) : (
          <ScrollTable
            label={t('robot.recalls')}
            size="small"
            rowKey="recall"
            pagination={false}
            minWidth={600}
            dataSource={r.recalls}
            columns={[
              { title: t('robot.recallNumber'), dataIndex: 'recall' },
              { title: t('robot.recallSummary'), dataIndex: 'summary' },
              { title: t('robot.recallRemedy'), dataIndex: 'remedy' },
              { title: t('robot.recallState'), dataIndex: 'state' },
            ]}
          />
        )}
      </Card>

      <Card title={t('robot.incidents')} size="small">
        {purpose === undefined ? (
          <PurposePrompt />
        ) : incidents.isError ? (
          <Alert type="info" title={t('robot.incidentsHidden')} />
        ) : (
          <ScrollTable
            label={t('robot.incidents')}
            size="small"
            rowKey="id"
            pagination={false}
            minWidth={600}
            loading={incidents.isPending}
            dataSource={incidents.data?.items ?? []}
            locale={{ emptyText: t('robot.noIncidents') }}
            columns={[
              {
                title: t('robot.incidentTime'),
                dataIndex: 'eventTime',
                render: (d: string) => when(d, i18n.language),
              },
              { title: t('robot.incidentCategory'), dataIndex: 'category' },
              { title: t('robot.incidentSeverity'), dataIndex: 'severity' },
              { title: t('robot.incidentState'), dataIndex: 'state' },
            ]}
          />
        )}
      </Card>

      <Card title={t('robot.downloads')} size="small">
        <Space wrap>
          <Button icon={<DownloadOutlined />} href={`${base}/label.png?size=30mm`} download>
            {t('robot.labelPng')}
          </Button>
          <Button icon={<DownloadOutlined />} href={`${base}/label.svg?size=30mm`} download>
            {t('robot.labelSvg')}
          </Button>
          <Button icon={<DownloadOutlined />} href={`${base}/passport`} download={`${r.printed}.sd-jwt`}>
            {t('robot.passport')}
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={`${base}/proof-bundle`}
            download={`${r.printed}.proof.json`}
          >
            {t('robot.proofBundle')}
          </Button>
        </Space>
      </Card>
    </Space>
  );
}
