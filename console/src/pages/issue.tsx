import { DownloadOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, InputNumber, List, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useOutletContext } from 'react-router';
import { ApiError, api, ok } from '../api/client';
import { download } from '../download';
import type { Me } from '../hooks/use-me';
import { useModels } from '../hooks/use-models';

interface Issue {
  model: string;
  count: number;
}
interface Sheet {
  sizeMm: number;
  format: 'pdf' | 'zpl';
}

/**
 * /console/issue: a manufacturer issues robot IDs for one of its models (POST /v1/ids) and prints them as a label
 * sheet: a PDF of A4 pages at the chosen label size, or ZPL for a label printer (POST /v1/label-sheets).
 */
export function IssuePage() {
  const { t } = useTranslation();
  const me = useOutletContext<Me>();
  const enterpriseCode = me.organisation.enterpriseCode ?? undefined;
  const [failure, setFailure] = useState<string>();
  const models = useModels(enterpriseCode, { enabled: enterpriseCode !== undefined });
  const issue = useMutation({
    mutationFn: async ({ model, count }: Issue) =>
      ok(await api.POST('/v1/ids', { body: { model, count, requestId: crypto.randomUUID() } })),
    onMutate: () => setFailure(undefined),
    onError: (error) =>
      setFailure(
        error instanceof ApiError ? (error.problem?.detail ?? error.message) : t('errors.unreachable'),
      ),
  });
  const sheet = useMutation({
    mutationFn: async ({ sizeMm, format }: Sheet) => {
      const answer = await api.POST('/v1/label-sheets', {
        body: { robotIds: issue.data!.ids, sizeMm, format },
        parseAs: 'blob',
      });
      const blob = ok(answer) as Blob;
      download(blob, `robot-labels-${issue.data!.issuanceId}.${format}`);
    },
    onError: (error) =>
      setFailure(
        error instanceof ApiError ? (error.problem?.detail ?? error.message) : t('errors.unreachable'),
      ),
  });

  if (enterpriseCode === undefined) return <Alert type="info" title={t('issue.notManufacturer')} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('issue.title')}
      </Typography.Title>
      {failure && <Alert type="error" role="alert" title={failure} />}
      <Card size="small" title={t('issue.issue')}>
        <Form<Issue>
          layout="vertical"
          name="issue"
          initialValues={{ count: 10 }}
          onFinish={(v) => issue.mutate(v)}
        >
          <Form.Item
            name="model"
            label={t('issue.model')}
            rules={[{ required: true, message: t('errors.required', { field: t('issue.model') }) }]}
          >
            <Select
              aria-label={t('issue.model')}
              loading={models.isPending}
              options={(models.data?.items ?? []).map((m) => ({
                value: m.code,
                label: `${m.name} (${m.code})`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="count"
            label={t('issue.count')}
            rules={[{ required: true, message: t('errors.required', { field: t('issue.count') }) }]}
          >
            <InputNumber min={1} max={1000} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={issue.isPending}>
            {t('issue.submit')}
          </Button>
        </Form>
      </Card>
      {issue.data && (
        <Card size="small" title={t('issue.issued', { count: issue.data.ids.length })}>
          <Form<Sheet>
            layout="vertical"
            name="label-sheet"
            initialValues={{ sizeMm: 25, format: 'pdf' }}
            onFinish={(v) => sheet.mutate(v)}
          >
            <Space wrap align="end">
              <Form.Item name="sizeMm" label={t('issue.size')} extra={t('issue.sizeHint')}>
                <InputNumber min={10} max={60} step={1} addonAfter="mm" />
              </Form.Item>
              <Form.Item name="format" label={t('issue.format')}>
                <Radio.Group
                  options={[
                    { value: 'pdf', label: t('issue.pdf') },
                    { value: 'zpl', label: t('issue.zpl') },
                  ]}
                />
              </Form.Item>
              <Form.Item>
                <Button
                  type="primary"
                  htmlType="submit"
                  icon={<DownloadOutlined />}
                  loading={sheet.isPending}
                >
                  {t('issue.download')}
                </Button>
              </Form.Item>
            </Space>
          </Form>
          <List
            size="small"
            aria-label={t('issue.ids')}
            dataSource={issue.data.ids}
            pagination={issue.data.ids.length > 20 ? { pageSize: 20, size: 'small' } : false}
            renderItem={(id) => (
              <List.Item>
                <Link to={`/robots/${id}`}>
                  <Typography.Text code data-testid="issued-id">
                    {id}
                  </Typography.Text>
                </Link>
              </List.Item>
            )}
          />
        </Card>
      )}
    </Space>
  );
}
