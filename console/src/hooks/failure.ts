import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

/** A page's last failure as the person reads it: the registry's problem detail, or that it could not be reached. */
export function useFailure() {
  const { t } = useTranslation();
  const [failure, setFailure] = useState<string>();
  const fail = (error: unknown) =>
    setFailure(
      error instanceof ApiError ? (error.problem?.detail ?? error.message) : t('errors.unreachable'),
    );
  return { failure, fail, clear: () => setFailure(undefined) };
}
