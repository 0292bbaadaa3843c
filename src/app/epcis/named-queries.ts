/**
 * EPCIS named queries (GS1 REST binding: /queries): an organisation keeps GET /epcis/events parameters under a
 * name, reads their events at /queries/{name}/events, and subscribes to them (query-subscriptions.ts). Each
 * organisation sees only its own: another's name looks like there is none. The parameters were checked by the
 * edge with the rules of GET /epcis/events; the events are read as queryEpcisEvents reads them for the caller.
 */
import { conflict, invalid } from '../../domain/errors.js';
import { QUERY_NAME_PATTERN, epcisQueryOf, type QueryParams } from '../../domain/epcis/query-params.js';
import type { EpcisQueryRecord, Tx } from '../../store/store.js';
import { requireActor } from '../access.js';
import { audited } from '../audit.js';
import { isoNow, type AppContext, type Caller } from '../context.js';
import { queryEpcisEvents, type EventsPage } from './query.js';
import { endEpcisSubscription, noSuchQuery } from './query-subscriptions.js';

/** A name that is one URL path segment as it is written. */
export { QUERY_NAME_PATTERN } from '../../domain/epcis/query-params.js';
/** Enough for an organisation's views; a bound on what one key can make the registry keep. */
export const MAX_QUERIES_PER_ORG = 100;

export interface NamedQueryView {
  name: string;
  query: Record<string, unknown>;
  createdAt: string;
}

const view = (q: EpcisQueryRecord): NamedQueryView => ({
  name: q.name,
  query: q.params,
  createdAt: q.createdAt,
});

export async function createNamedQuery(
  ctx: AppContext,
  caller: Caller,
  input: { name: string; query: QueryParams },
): Promise<NamedQueryView> {
  const actor = requireActor(caller);
  if (!new RegExp(QUERY_NAME_PATTERN).test(input.name))
    throw invalid('invalid-epcis-query', 'a query name is 1 to 100 letters, digits, and . _ ~ -', [
      { field: '/name', message: 'letters, digits, and . _ ~ - only (it is a path segment)' },
    ]);
  return audited(
    ctx,
    caller,
    'epcis-query.create',
    async (tx) => {
      if ((await tx.listEpcisQueries(actor.orgId)).length >= MAX_QUERIES_PER_ORG)
        throw conflict(
          'too-many-epcis-queries',
          `an organisation may keep ${MAX_QUERIES_PER_ORG} named queries; remove one first`,
        );
      const record: EpcisQueryRecord = {
        orgId: actor.orgId,
        name: input.name,
        params: { ...input.query },
        createdAt: isoNow(ctx),
        createdBy: actor.keyId,
      };
      if (!(await tx.insertEpcisQuery(record)))
        throw conflict('epcis-query-exists', `your organisation already has a query named ${input.name}`, [
          { field: '/name', message: 'taken: choose another name, or remove that query first' },
        ]);
      return view(record);
    },
    (q) => q.name,
  );
}

export async function listNamedQueries(ctx: AppContext, caller: Caller): Promise<NamedQueryView[]> {
  const actor = requireActor(caller);
  return (await ctx.store.read((r) => r.listEpcisQueries(actor.orgId))).map(view);
}

export async function getNamedQuery(ctx: AppContext, caller: Caller, name: string): Promise<NamedQueryView> {
  const actor = requireActor(caller);
  const found = await ctx.store.read((r) => r.getEpcisQuery(actor.orgId, name));
  if (!found) throw noSuchQuery(name);
  return view(found);
}

/** Removes it and, as the binding says, ends every subscription to it. */
export async function deleteNamedQuery(ctx: AppContext, caller: Caller, name: string): Promise<void> {
  const actor = requireActor(caller);
  await audited(
    ctx,
    caller,
    'epcis-query.delete',
    async (tx: Tx) => {
      const at = isoNow(ctx);
      for (const sub of await tx.listEpcisSubscriptions(actor.orgId, name))
        await endEpcisSubscription(tx, sub.id, at);
      if (!(await tx.deleteEpcisQuery(actor.orgId, name))) throw noSuchQuery(name);
    },
    () => name,
    name,
  );
}

/** The named query's events the caller may see, one page, as GET /epcis/events answers them. */
export async function queryNamedEvents(
  ctx: AppContext,
  caller: Caller,
  name: string,
  paging: { perPage?: number; nextPageToken?: string },
): Promise<EventsPage> {
  const found = await getNamedQuery(ctx, caller, name);
  return queryEpcisEvents(ctx, caller, epcisQueryOf(found.query as QueryParams), paging);
}
