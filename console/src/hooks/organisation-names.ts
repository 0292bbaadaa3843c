import { useQueries } from '@tanstack/react-query';
import { api, ok } from '../api/client';

/**
 * Organisations' names by id (GET /v1/organisations/{orgId}), to say who did what in words a person reads; an id
 * stays as it is while its name is loading, or if the registry does not give it.
 */
export function useOrganisationNames(ids: readonly string[]): (id: string) => string {
  const unique = [...new Set(ids)];
  const answers = useQueries({
    queries: unique.map((orgId) => ({
      queryKey: ['organisation', orgId],
      queryFn: async () => ok(await api.GET('/v1/organisations/{orgId}', { params: { path: { orgId } } })),
      staleTime: 5 * 60_000,
    })),
  });
  const names = new Map(unique.map((id, i) => [id, answers[i]?.data?.name]));
  return (id) => names.get(id) ?? id;
}
