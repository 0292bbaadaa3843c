import { CameraOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space } from 'antd';
import type { TFunction } from 'i18next';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkRobotId, PRINTED_LENGTH, type IdCheck } from '../robot-id';

/** What the check says, in the user's language; undefined while nothing is wrong yet. */
function message(check: IdCheck, t: TFunction) {
  switch (check.status) {
    case 'bad-character':
      return t('robotId.badCharacter', {
        character: check.character,
        position: check.position,
        part: t(`robotId.parts.${check.part}`),
      });
    case 'too-long':
      return t('robotId.tooLong', { length: check.length, expected: PRINTED_LENGTH });
    case 'wrong-check':
      return t('robotId.wrongCheck');
    case 'incomplete':
      return t('robotId.incomplete', { length: check.length, expected: PRINTED_LENGTH });
    default:
      return undefined;
  }
}

const QrScanner = lazy(async () => ({ default: (await import('./qr-scanner')).QrScanner }));

/**
 * A robot ID typed by hand, its check characters checked with every keystroke (robot-id.ts): `onOpen` gets the
 * printed form once the ID is whole and right.
 */
export function RobotIdInput({ onOpen, action }: { onOpen: (printed: string) => void; action: string }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [scanning, setScanning] = useState(false);
  const check = checkRobotId(value);
  const wrong =
    check.status === 'bad-character' || check.status === 'too-long' || check.status === 'wrong-check';
  const help = message(check, t);
  if (scanning)
    return (
      <Suspense fallback={null}>
        <QrScanner onId={onOpen} onClose={() => setScanning(false)} />
      </Suspense>
    );
  return (
    <Form
      layout="vertical"
      name="robot-id"
      onFinish={() => check.status === 'valid' && onOpen(check.printed)}
      style={{ maxWidth: 560 }}
    >
      <Form.Item
        label={t('robotId.label')}
        htmlFor="robot-id-input"
        validateStatus={wrong ? 'error' : check.status === 'valid' ? 'success' : undefined}
        hasFeedback={check.status === 'valid' || wrong}
        help={
          help ??
          (check.status === 'valid' ? t('robotId.valid', { display: check.display }) : t('robotId.hint'))
        }
      >
        <Space.Compact style={{ width: '100%' }}>
          <Input
            id="robot-id-input"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="CN-XXXX-XXXXXX-XXXXXXXXXXXXXXXXX-CC"
            aria-invalid={wrong}
          />
          <Button type="primary" htmlType="submit" disabled={check.status !== 'valid'}>
            {action}
          </Button>
        </Space.Compact>
      </Form.Item>
      <Button icon={<CameraOutlined />} onClick={() => setScanning(true)}>
        {t('scan.start')}
      </Button>
    </Form>
  );
}
