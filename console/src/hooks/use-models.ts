import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';

/**
 * The registry's robot models (GET /v1/models: public), of one enterprise or of all; one page of up to 1,000, the
 * API's largest. Cached under ['models', …], which registering a model invalidates.
 */
export function useModels(enterpriseCode: string | undefined, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['models', enterpriseCode ?? null],
    queryFn: async () =>
      ok(
        await api.GET('/v1/models', {
          params: { query: { ...(enterpriseCode ? { enterpriseCode } : {}), limit: 1000 } },
        }),
      ),
    enabled: options.enabled ?? true,
  });
}
