import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { ScrollTable } from '../layout/scroll-table';
import { useTranslation } from 'react-i18next';
import { Link, useOutletContext } from 'react-router';
import { ApiError, api, ok } from '../api/client';
import type { paths } from '../api/schema';
import { when } from '../format';
import { useFailure } from '../hooks/failure';
import { showFieldProblems } from '../hooks/problem-fields';
import { roleOf, type Me } from '../hooks/use-me';
import { useModels } from '../hooks/use-models';

/** The body of POST /v1/models, as the API's schema types it. */
type NewModel = paths['/v1/models']['post']['requestBody']['content']['application/json'];
type Model = paths['/v1/models']['get']['responses'][200]['content']['application/json']['items'][number];

/** The API's choices: one it adds is a type error here until it is offered (and translated). */
const CATEGORIES = Object.keys({
  general_purpose: true,
  industrial: true,
  logistics: true,
  commercial_service: true,
  household: true,
  healthcare: true,
  education_research: true,
  entertainment: true,
  special_purpose: true,
} satisfies Record<NewModel['category'], true>) as NewModel['category'][];
const LEVELS = Object.keys({ L1: true, L2: true, L3: true, L4: true, L5: true } satisfies Record<
  NewModel['capabilityLevel'],
  true
>) as NewModel['capabilityLevel'][];

/** The model's measurements, each a positive number in the unit its label names. */
const SPECS = ['heightMm', 'massKg', 'payloadKg', 'maxSpeedMps', 'batteryWh'] as const;

/**
 * /console/models: a manufacturer's robot models. A reporter or administrator registers one (its 6-character code
 * under the enterprise code) and then issues IDs for it on the Issue page; errors name the field in the person's
 * language.
 */
export function ModelsPage() {
  const { t, i18n } = useTranslation();
  const me = useOutletContext<Me>();
  const enterpriseCode = me.organisation.enterpriseCode ?? undefined;
  const queryClient = useQueryClient();
  const [form] = Form.useForm<NewModel>();
  const { failure, fail, clear } = useFailure();
  const label = (field: string) => t(`models.fields.${field}`);
  const models = useModels(enterpriseCode, { enabled: enterpriseCode !== undefined });
  const register = useMutation({
    mutationFn: async (body: NewModel) => ok(await api.POST('/v1/models', { body })),
    onMutate: clear,
    onSuccess: () => {
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['models'] });
    },
    onError: (error) => {
      if (!(error instanceof ApiError) || !error.problem?.errors) return fail(error);
      const rest = showFieldProblems(form, error.problem, t, (path) => label(String(path[0])));
      if (rest.length > 0) fail(error);
    },
  });

  if (enterpriseCode === undefined) return <Alert type="info" title={t('models.notManufacturer')} />;
  const registers = roleOf(me) !== 'viewer';
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('models.title')}
      </Typography.Title>
      {failure && <Alert type="error" role="alert" title={failure} closable onClose={clear} />}
      {register.data && (
        <Alert
          type="success"
          title={t('models.registered', { name: register.data.name, code: register.data.code })}
          action={<Link to="/issue">{t('models.toIssue')}</Link>}
        />
      )}
      {registers && (
        <Card size="small" title={t('models.register')}>
          <Form<NewModel>
            form={form}
            layout="vertical"
            name="model"
            onFinish={(values) => register.mutate(values)}
          >
            <Form.Item
              name="code"
              label={label('code')}
              extra={t('models.codeHint', { enterpriseCode })}
              normalize={(value: string) => value.toUpperCase()}
              rules={[{ required: true, len: 6, message: t('models.codeRequired') }]}
            >
              <Input maxLength={6} autoComplete="off" style={{ maxWidth: 160 }} />
            </Form.Item>
            <Form.Item
              name="name"
              label={label('name')}
              rules={[{ required: true, message: t('errors.required', { field: label('name') }) }]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item
                name="category"
                label={label('category')}
                rules={[{ required: true, message: t('errors.required', { field: label('category') }) }]}
              >
                <Select
                  aria-label={label('category')}
                  style={{ minWidth: 200 }}
                  options={CATEGORIES.map((c) => ({ value: c, label: t(`modelCategories.${c}`) }))}
                />
              </Form.Item>
              <Form.Item
                name="capabilityLevel"
                label={label('capabilityLevel')}
                rules={[
                  { required: true, message: t('errors.required', { field: label('capabilityLevel') }) },
                ]}
              >
                <Select
                  aria-label={label('capabilityLevel')}
                  style={{ minWidth: 200 }}
                  options={LEVELS.map((l) => ({ value: l, label: t(`capabilityLevels.${l}`) }))}
                />
              </Form.Item>
            </Space>
            <Space wrap align="start">
              {SPECS.map((spec) => (
                <Form.Item key={spec} name={spec} label={label(spec)}>
                  <InputNumber min={0} style={{ width: 160 }} />
                </Form.Item>
              ))}
              <Form.Item name="degreesOfFreedom" label={label('degreesOfFreedom')}>
                <InputNumber min={1} max={1000} precision={0} style={{ width: 160 }} />
              </Form.Item>
            </Space>
            <Form.Item name="standards" label={label('standards')} extra={t('models.standardsHint')}>
              <Select mode="tags" aria-label={label('standards')} open={false} tokenSeparators={[',']} />
            </Form.Item>
            <Form.Item name="description" label={label('description')}>
              <Input.TextArea maxLength={2000} rows={3} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={register.isPending}>
              {t('models.submit')}
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title={t('models.list')}>
        <ScrollTable<Model>
          label={t('models.list')}
          minWidth={500}
          size="small"
          rowKey="code"
          pagination={false}
          loading={models.isPending}
          dataSource={models.data?.items ?? []}
          locale={{ emptyText: t('models.none') }}
          columns={[
            {
              title: label('code'),
              dataIndex: 'code',
              render: (c: string) => <Typography.Text code>{c}</Typography.Text>,
            },
            { title: label('name'), dataIndex: 'name' },
            {
              title: label('category'),
              dataIndex: 'category',
              render: (c: Model['category']) => t(`modelCategories.${c}`),
            },
            {
              title: label('capabilityLevel'),
              dataIndex: 'capabilityLevel',
              render: (l: Model['capabilityLevel']) => t(`capabilityLevels.${l}`),
            },
            {
              title: t('admin.created'),
              dataIndex: 'createdAt',
              render: (d: string) => when(d, i18n.language),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
