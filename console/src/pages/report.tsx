import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, List, Radio, Result, Space, Spin, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError, api, ok } from '../api/client';
import { eventTypeTitle, useEventTypes } from '../hooks/event-types';
import { showFieldProblems } from '../hooks/problem-fields';
import { RobotIdInput } from '../layout/robot-id-input';
import { describeFields, payloadOf, type FieldSpec, type JsonSchema } from '../schema-form/model';
import { SchemaFields, useFieldLabel } from '../schema-form/schema-form';

/** `datetime-local` wants local time without a zone: now, as such. */
const localNow = () => {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

interface Values {
  eventTime: string;
  payload: Record<string, unknown>;
}

/** /console/report: which robot (its ID typed, check characters checked as typed). */
export function ReportStartPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('report.title')}
      </Typography.Title>
      <RobotIdInput action={t('report.start')} onOpen={(printed) => navigate(`/report/${printed}`)} />
    </Space>
  );
}

/**
 * /console/report/<id>: reporting an event by a form made from its payload schema (GET /v1/event-types), after the
 * registry has said what this caller may report on this robot now, and why not the rest (GET …/next-events).
 * `?type=corrected&correctsEventId=…` opens a correction of an earlier event.
 */
export function ReportPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const labelOf = useFieldLabel();
  const [type, setType] = useState<string | undefined>(params.get('type') ?? undefined);
  const [failure, setFailure] = useState<string>();
  const queryClient = useQueryClient();

  const robot = useQuery({
    queryKey: ['robot', id, 'report'],
    queryFn: async () => ok(await api.GET('/v1/robots/{id}', { params: { path: { id } } })),
  });
  const next = useQuery({
    queryKey: ['next-events', id],
    queryFn: async () => ok(await api.GET('/v1/robots/{id}/next-events', { params: { path: { id } } })),
  });
  const types = useEventTypes();

  const chosen = types.data?.eventTypes.find((e) => e.type === type);
  const fields: FieldSpec[] = useMemo(
    () => (chosen ? describeFields(chosen.payloadSchema as JsonSchema) : []),
    [chosen],
  );
  const title = (e: { title: string; titleZh: string }) => eventTypeTitle(e, i18n.language);

  const send = useMutation({
    mutationFn: async (values: Values) => {
      const payload = payloadOf({ kind: 'object', name: 'payload', required: true, fields }, values.payload);
      const event = {
        type: type!,
        robotId: robot.data!.id,
        eventTime: new Date(values.eventTime).toISOString(),
        payload,
      };
      return ok(await api.POST('/v1/events', { body: { events: [event] } }));
    },
    // A report changes what every page shows of the robot (state, timeline, parts) and of the to-do: none of it
    // may be shown from before.
    onSuccess: () => queryClient.invalidateQueries(),
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFailure(t('errors.unreachable'));
      const rest = showFieldProblems(
        form,
        error.problem,
        t,
        (path) =>
          path[0] === 'eventTime'
            ? t('report.eventTime')
            : labelOf(String(path.filter((p) => typeof p === 'string').at(-1))),
        ['events', 0],
      );
      setFailure(
        rest.length > 0
          ? rest.join(' ')
          : error.problem?.errors
            ? undefined
            : (error.problem?.detail ?? t('errors.refused', { status: error.status })),
      );
    },
  });

  if (robot.isError || next.isError) return <Result status="warning" title={t('robot.notFound')} />;
  if (robot.isPending || next.isPending || types.isPending) return <Spin aria-label={t('common.loading')} />;
  if (types.isError) return <Result status="error" title={t('errors.loadFailed')} />;

  const allowed = next.data.events.filter((e) => e.allowed);
  const refused = next.data.events.filter((e) => !e.allowed);
  const typeInfo = (name: string) => types.data.eventTypes.find((e) => e.type === name);

  if (send.isSuccess)
    return (
      <Result
        status="success"
        title={t('report.sent', { type: chosen ? title(chosen) : type })}
        subTitle={send.data.results[0]?.late ? t('report.sentLate') : undefined}
        extra={
          <Link to={`/robots/${encodeURIComponent(robot.data.printed)}`}>
            <Button type="primary">{t('report.toRobot')}</Button>
          </Link>
        }
      />
    );

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, wordBreak: 'break-all' }}>
        {t('report.titleFor', { display: robot.data.display })}
      </Typography.Title>
      <Typography.Text>
        {t('report.state')} <Tag color="blue">{t(`states.${next.data.state}`)}</Tag>
      </Typography.Text>
      <Card size="small" title={t('report.allowedNow')}>
        {allowed.length === 0 ? (
          <Typography.Text type="secondary">{t('report.nothingAllowed')}</Typography.Text>
        ) : (
          <Radio.Group
            aria-label={t('report.allowedNow')}
            value={type}
            onChange={(e) => {
              setType(e.target.value as string);
              setFailure(undefined);
              form.resetFields(['payload']);
            }}
            options={allowed.map((e) => {
              const info = typeInfo(e.type);
              return { value: e.type, label: info ? title(info) : e.type };
            })}
          />
        )}
      </Card>
      {refused.length > 0 && (
        <Card size="small" title={t('report.notAllowedNow')}>
          <List
            size="small"
            dataSource={refused}
            renderItem={(e) => {
              const info = typeInfo(e.type);
              return (
                <List.Item data-testid="refused-event" data-type={e.type}>
                  <Typography.Text>
                    <Typography.Text type="secondary">{info ? title(info) : e.type}</Typography.Text>
                    {' — '}
                    {'reason' in e && e.reason ? e.reason : t('report.notAllowed')}
                  </Typography.Text>
                </List.Item>
              );
            }}
          />
        </Card>
      )}
      {chosen && allowed.some((e) => e.type === chosen.type) && (
        <Card size="small" title={title(chosen)}>
          <Typography.Paragraph type="secondary">
            {t('report.reportedBy', { who: chosen.reportedBy.description })}
          </Typography.Paragraph>
          {failure && <Alert type="error" role="alert" title={failure} style={{ marginBottom: 16 }} />}
          <Form
            form={form}
            layout="vertical"
            name="report"
            initialValues={{
              eventTime: localNow(),
              payload: Object.fromEntries([...params.entries()].filter(([k]) => k !== 'type')),
            }}
            onFinish={(values) => {
              setFailure(undefined);
              send.mutate(values);
            }}
            scrollToFirstError
          >
            <Form.Item
              name="eventTime"
              label={t('report.eventTime')}
              extra={t('report.eventTimeHint')}
              rules={[{ required: true, message: t('errors.required', { field: t('report.eventTime') }) }]}
            >
              <Input type="datetime-local" />
            </Form.Item>
            <SchemaFields fields={fields} under={['payload']} />
            <Button type="primary" htmlType="submit" loading={send.isPending} block>
              {t('report.send')}
            </Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}
