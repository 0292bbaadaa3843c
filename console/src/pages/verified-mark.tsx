import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Spin, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../api/client';
import { purposeHeader, type Purpose } from '../hooks/purpose';
import { verifyProofBundle, type BundleVerdict } from '../verify/proof-bundle';

/**
 * Fetches the robot's proof bundle and the log's verifier key, and checks the bundle here, in the browser, with the
 * registry's own bundle check (verify/proof-bundle.ts): the mark is computed, not taken from the server's word, and
 * stands for a complete history, not only for each event shown being in the log.
 */
export function useLogVerdict(robotId: string | undefined, purpose: Purpose | undefined) {
  return useQuery({
    queryKey: ['proof-bundle', robotId, purpose],
    // The canonical ID (from the robot's record): the one the bundle and its leaves name.
    enabled: robotId !== undefined,
    queryFn: async (): Promise<BundleVerdict> => {
      const [bundle, key] = await Promise.all([
        // As text: what is checked is what the registry sent, byte for byte.
        api
          .GET('/v1/robots/{id}/proof-bundle', {
            params: { path: { id: robotId! }, header: purposeHeader(purpose) },
            parseAs: 'text',
          })
          .then(ok),
        api.GET('/v1/log/key', { parseAs: 'text' }).then(ok),
      ]);
      return verifyProofBundle(String(bundle), robotId!, String(key));
    },
    staleTime: 60_000,
  });
}

export function VerifiedMark({ verdict }: { verdict: ReturnType<typeof useLogVerdict> }) {
  const { t } = useTranslation();
  if (verdict.isPending) return <Spin size="small" aria-label={t('robot.verifying')} />;
  if (verdict.isError)
    return (
      <Tag icon={<CloseCircleFilled />} color="default" data-testid="log-verdict">
        {t('robot.verifyUnavailable')}
      </Tag>
    );
  const v = verdict.data;
  return (
    <Tooltip title={v.ok ? t('robot.verifiedHow') : v.problems.join('; ')}>
      <Tag
        icon={v.ok ? <CheckCircleFilled /> : <CloseCircleFilled />}
        color={v.ok ? 'success' : 'error'}
        data-testid="log-verdict"
        data-verified={v.ok ? 'true' : 'false'}
        style={{ whiteSpace: 'normal' }} // on a phone the sentence wraps rather than running past the screen
      >
        {v.ok
          ? t('robot.verified', { count: v.proven.length + v.withheld, size: v.checkpointSize ?? 0 })
          : t('robot.notVerified')}
      </Tag>
    </Tooltip>
  );
}
