import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Flex, Form, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ok } from '../api/client';
import type { paths } from '../api/schema';
import { useModels } from '../hooks/use-models';
import { needsPurpose, purposeHeader, PURPOSES, setPurpose, usePurpose } from '../hooks/purpose';
import { PurposePrompt } from '../layout/purpose-prompt';
import { RobotIdInput } from '../layout/robot-id-input';
import { ScrollTable } from '../layout/scroll-table';
import { CERTIFICATION_FILTERS, ROBOT_STATES } from '../robot-states';

type Query = NonNullable<paths['/v1/robots']['get']['parameters']['query']>;

/** The filters, as they appear in the page's address (so that a search can be shared or reloaded). */
const FILTERS = [
  'enterpriseCode',
  'modelCode',
  'state',
  'componentLot',
  'softwareTarget',
  'softwareVersion',
  'region',
  'certification',
] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;
const PAGE_SIZES = [20, 50, 100];

const filtersOf = (params: URLSearchParams): Filters =>
  Object.fromEntries(FILTERS.flatMap((f) => (params.get(f) ? [[f, params.get(f)!]] : [])));

/**
 * The form: a model is chosen as one (enterprise, model) pair, since a model code is only unique within its maker's
 * enterprise code (the API takes modelCode with enterpriseCode only).
 */
type FormValues = Omit<Filters, 'modelCode'> & { model?: string };
const modelValue = (enterpriseCode: string, modelCode: string) => `${enterpriseCode}-${modelCode}`;
const formValuesOf = ({ modelCode, ...rest }: Filters): FormValues => ({
  ...rest,
  model: modelCode && rest.enterpriseCode ? modelValue(rest.enterpriseCode, modelCode) : undefined,
});
const ENTERPRISE_CODE = /^[0-9A-Z]{4}$/;

/** /console/robots: the registry's robot search, paged and filtered by the server (GET /v1/robots). */
export function RobotsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const [form] = Form.useForm<FormValues>();
  // The models offered: the typed enterprise's, or every enterprise's.
  const typedEnterprise = Form.useWatch('enterpriseCode', form)?.trim().toUpperCase();
  const models = useModels(ENTERPRISE_CODE.test(typedEnterprise ?? '') ? typedEnterprise : undefined);
  // An address with a model code but no enterprise code (typed or shared by hand) names no one model.
  const modelWithoutMaker = filters.modelCode !== undefined && filters.enterpriseCode === undefined;
  const [pageSize, setPageSize] = useState(20);
  // The cursors of the pages before this one: the server pages forwards only.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const purpose = usePurpose();
  const navigate = useNavigate();

  const robots = useQuery({
    queryKey: ['robots', filters, pageSize, cursor, purpose],
    queryFn: async () =>
      ok(
        await api.GET('/v1/robots', {
          params: {
            query: { ...(filters as Query), limit: pageSize, ...(cursor ? { cursor } : {}) },
            header: purposeHeader(purpose),
          },
        }),
      ),
    // A search states its purpose (the registry refuses one without): none is sent before the person chose it.
    enabled: purpose !== undefined && !modelWithoutMaker,
    placeholderData: keepPreviousData,
  });

  const search = ({ model, ...values }: FormValues) => {
    const [enterpriseCode, modelCode] = model ? model.split('-') : [values.enterpriseCode];
    const chosen: Filters = { ...values, enterpriseCode, modelCode };
    const next = new URLSearchParams();
    for (const f of FILTERS) if (chosen[f]?.trim()) next.set(f, chosen[f].trim());
    setCursors([undefined]);
    setParams(next);
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('robots.title')}
      </Typography.Title>
      <RobotIdInput action={t('robotId.open')} onOpen={(printed) => navigate(`/robots/${printed}`)} />
      {purpose === undefined || needsPurpose(robots.error) ? (
        <PurposePrompt />
      ) : (
        <Flex gap={8} align="center" wrap>
          <Typography.Text>{t('purpose.label')}</Typography.Text>
          <Select
            aria-label={t('purpose.label')}
            value={purpose}
            onChange={setPurpose}
            style={{ minWidth: 200 }}
            options={PURPOSES.map((p) => ({ value: p, label: t(`purposes.${p}`) }))}
          />
        </Flex>
      )}
      <Card size="small">
        <Form
          form={form}
          layout="vertical"
          name="robot-search"
          initialValues={formValuesOf(filters)}
          onFinish={search}
          onValuesChange={(changed: FormValues) => {
            // The chosen model's maker goes with it; another maker typed makes the model no longer one of its.
            if (changed.model) form.setFieldValue('enterpriseCode', changed.model.split('-')[0]);
            if (
              changed.enterpriseCode !== undefined &&
              !form.getFieldValue('model')?.startsWith(`${changed.enterpriseCode.trim().toUpperCase()}-`)
            )
              form.setFieldValue('model', undefined);
          }}
          aria-label={t('robots.filters')}
        >
          <Row gutter={12}>
            <Col xs={12} md={6}>
              <Form.Item name="enterpriseCode" label={t('robots.enterpriseCode')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="model" label={t('robots.model')}>
                <Select
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={models.isPending}
                  placeholder={t('robots.anyModel')}
                  options={(models.data?.items ?? []).map((m) => ({
                    value: modelValue(m.enterpriseCode, m.code),
                    label: `${m.name} (${m.enterpriseCode}-${m.code})`,
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="state" label={t('robots.state')}>
                <Select
                  allowClear
                  options={ROBOT_STATES.map((s) => ({ value: s, label: t(`states.${s}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="certification" label={t('robots.certification')}>
                <Select
                  allowClear
                  options={CERTIFICATION_FILTERS.map((c) => ({
                    value: c,
                    label: t(`certificationFilter.${c}`),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="componentLot" label={t('robots.lot')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="region" label={t('robots.region')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="softwareTarget" label={t('robots.softwareTarget')}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={12} md={6}>
              <Form.Item name="softwareVersion" label={t('robots.softwareVersion')}>
                <Input allowClear />
              </Form.Item>
            </Col>
          </Row>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('robots.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                form.setFieldsValue(Object.fromEntries(FILTERS.map((f) => [f, undefined])));
                search({});
              }}
            >
              {t('robots.reset')}
            </Button>
          </Space>
        </Form>
      </Card>
      {modelWithoutMaker && <Alert type="warning" role="alert" title={t('robots.modelWithoutMaker')} />}
      {robots.isError && !needsPurpose(robots.error) && (
        <Alert type="error" role="alert" title={t('errors.loadFailed')} />
      )}
      <ScrollTable
        label={t('robots.results')}
        minWidth={640}
        rowKey="id"
        size="small"
        loading={robots.isFetching}
        dataSource={robots.data?.items ?? []}
        pagination={false}
        columns={[
          {
            title: t('robots.id'),
            dataIndex: 'id',
            render: (id: string) => (
              <Link to={`/robots/${encodeURIComponent(id)}`}>
                <Typography.Text code>{id}</Typography.Text>
              </Link>
            ),
          },
          {
            title: t('robots.state'),
            dataIndex: 'state',
            render: (s: string) => <Tag>{t(`states.${s}`, { defaultValue: s })}</Tag>,
          },
          { title: t('robots.region'), dataIndex: 'region', render: (r: string | null) => r ?? '—' },
          {
            title: t('robots.productionDate'),
            dataIndex: 'productionDate',
            render: (d: string | null) => d ?? '—',
          },
          {
            title: t('robots.certifiedUntil'),
            dataIndex: 'certifiedUntil',
            render: (d: string | null) => d ?? '—',
          },
        ]}
      />
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space>
          <Button disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('robots.previous')}
          </Button>
          <Button
            disabled={!robots.data?.nextCursor}
            onClick={() => robots.data?.nextCursor && setCursors([...cursors, robots.data.nextCursor])}
          >
            {t('robots.next')}
          </Button>
          <Typography.Text type="secondary">{t('robots.page', { page: cursors.length })}</Typography.Text>
        </Space>
        <Select
          aria-label={t('robots.pageSize')}
          value={pageSize}
          onChange={(size) => {
            setPageSize(size);
            setCursors([undefined]);
          }}
          options={PAGE_SIZES.map((n) => ({ value: n, label: t('robots.perPage', { count: n }) }))}
        />
      </Flex>
    </Space>
  );
}
