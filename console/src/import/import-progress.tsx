import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Progress, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Tally } from './send';

export type RunState = 'running' | 'done' | 'cancelled' | 'failed';

/**
 * An import under way and its end: the progress bar over the file's rows, the counts recorded / already recorded /
 * rejected, Cancel while it runs; then what happened, the rejected rows to download and a way to start again.
 */
export function ImportProgress({
  name,
  tally,
  state,
  failure,
  onCancel,
  onDownload,
  onAnother,
}: {
  name: string;
  tally: Tally;
  state: RunState;
  failure?: string;
  onCancel: () => void;
  onDownload: () => void;
  onAnother: () => void;
}) {
  const { t } = useTranslation();
  const percent = tally.total === 0 ? 100 : Math.floor((tally.done / tally.total) * 100);
  const counts = {
    done: tally.done,
    total: tally.total,
    recorded: tally.recorded,
    duplicates: tally.duplicates,
    rejected: tally.refused.length,
  };
  const titles: Record<RunState, string> = {
    running: t('import.importing', { name }),
    done: t('import.done'),
    cancelled: t('import.cancelled'),
    failed: t('import.interrupted'),
  };
  return (
    <Card size="small" title={titles[state]}>
      <Progress
        percent={percent}
        status={state === 'running' ? 'active' : state === 'done' ? 'success' : 'exception'}
        aria-label={t('import.progress')}
        data-testid="import-progress"
      />
      <Flex wrap gap="large" style={{ marginBlock: 16 }}>
        <Statistic title={t('import.recorded')} value={counts.recorded} data-testid="import-recorded" />
        <Statistic title={t('import.duplicates')} value={counts.duplicates} data-testid="import-duplicates" />
        <Statistic title={t('import.rejected')} value={counts.rejected} data-testid="import-rejected" />
      </Flex>
      {state === 'running' ? (
        <Button onClick={onCancel}>{t('import.cancel')}</Button>
      ) : (
        <Flex vertical gap="middle" align="start">
          <Typography.Text role="status">{t('import.summary', counts)}</Typography.Text>
          {state === 'failed' && failure && (
            <Alert type="error" role="alert" title={t('import.failed', { message: failure })} />
          )}
          {state !== 'done' && <Typography.Text type="secondary">{t('import.stopped')}</Typography.Text>}
          {counts.rejected > 0 && (
            <>
              <Button type="primary" icon={<DownloadOutlined />} onClick={onDownload}>
                {t('import.downloadRejected')}
              </Button>
              <Typography.Text type="secondary">{t('import.rejectedHint')}</Typography.Text>
            </>
          )}
          <Button onClick={onAnother}>{t('import.another')}</Button>
        </Flex>
      )}
    </Card>
  );
}
