import { Alert, Button, Form, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PURPOSES, setPurpose, type Purpose } from '../hooks/purpose';

/** Asks why the person reads, when the registry refused a read without it; the reads depending on it then retry. */
export function PurposePrompt() {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<Purpose>();
  return (
    <Alert
      type="info"
      role="alert"
      title={t('purpose.needed')}
      description={
        <Form layout="inline" onFinish={() => choice && setPurpose(choice)} name="purpose">
          <Space wrap>
            <Form.Item label={t('purpose.label')} style={{ marginBottom: 0 }}>
              <Select
                aria-label={t('purpose.label')}
                style={{ minWidth: 200 }}
                value={choice}
                onChange={setChoice}
                options={PURPOSES.map((p) => ({ value: p, label: t(`purposes.${p}`) }))}
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" disabled={!choice}>
              {t('purpose.continue')}
            </Button>
          </Space>
        </Form>
      }
    />
  );
}
