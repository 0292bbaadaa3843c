import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';

/**
 * The lifecycle event types with their titles and payload schemas (GET /v1/event-types): what the report forms and
 * the import's column mapping are made from. The same for the registry's life, so asked once.
 */
export const useEventTypes = () =>
  useQuery({
    queryKey: ['event-types'],
    queryFn: async () => ok(await api.GET('/v1/event-types')),
    staleTime: Infinity,
  });

/** An event type's title in the console's language. */
export const eventTypeTitle = (type: { title: string; titleZh: string }, language: string) =>
  language === 'zh-CN' ? type.titleZh : type.title;
