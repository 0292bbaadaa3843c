/** Opening and closing recall campaigns. */
import { conflict, forbidden, invalid, notFound } from '../../domain/errors.js';
import type { Organisation } from '../../domain/org/organisation.js';
import { recallNumber, validateRecallDraft, type RecallDraft } from '../../domain/safety/recalls.js';
import type { Reader, RecallRecord, Tx } from '../../store/store.js';
import { requireActor, requireRole } from '../access.js';
import { audited } from '../audit.js';
import { isoNow, type Actor, type AppContext, type Caller } from '../context.js';
import { announce } from '../notifications/announce.js';
import { recallSummary } from './notices.js';
import { startRecallWork } from './work.js';

export interface OpenRequest extends RecallDraft {
  /** A regulator's campaign about one manufacturer's robots; absent: across manufacturers (a supplier's part). */
  manufacturerId?: string;
}

/** A manufacturer's robots are those whose ID starts with its country and enterprise code. */
export const idPrefixOf = (org: Organisation): string[] =>
  org.enterpriseCode ? [`${org.jurisdiction}${org.enterpriseCode}`] : [];

/**
 * A regulator opens a campaign about any robots (and may order them to stop use); a manufacturer opens a voluntary
 * one about its own robots only, without a stop-use order (that is a regulator's act). The affected set is then
 * computed in the background (`affectedSet: 'computing'` until done).
 */
export async function openRecall(
  ctx: AppContext,
  caller: Caller,
  request: OpenRequest,
): Promise<RecallRecord> {
  const recall = await audited(
    ctx,
    caller,
    'recalls.open',
    async (tx) => {
      const actor = requireRole(caller, 'regulator', 'manufacturer');
      const { manufacturerId, ...draft } = request;
      validateRecallDraft(draft);
      const owner = await ownerOf(tx, actor, manufacturerId, draft);
      const at = isoNow(ctx);
      const n = await tx.nextCounter('recalls');
      const record: RecallRecord = {
        ...draft,
        number: recallNumber(new Date(at).getUTCFullYear(), n),
        manufacturerId: owner?.id ?? null,
        scope: owner ? idPrefixOf(owner) : null,
        openedBy: actor.orgId,
        openedByKey: actor.keyId,
        openedAt: at,
        status: 'open',
        closedAt: null,
        affectedSet: 'computing',
        computedAt: null,
      };
      await tx.insertRecall(record, n);
      await announce(tx, at, [openedNotice(record)]);
      return record;
    },
    (r) => r.number,
  );
  startRecallWork(ctx, recall.number);
  return recall;
}

const openedNotice = (r: RecallRecord) => ({
  topic: 'recall.opened' as const,
  audience: r.manufacturerId ? [r.manufacturerId] : [],
  robotId: null,
  data: recallSummary(r),
});

async function ownerOf(
  tx: Tx,
  actor: Actor,
  manufacturerId: string | undefined,
  draft: RecallDraft,
): Promise<Organisation | null> {
  const regulator = actor.roles.has('regulator');
  if (!regulator) {
    if (manufacturerId !== undefined && manufacturerId !== actor.orgId)
      throw invalid('invalid-criteria', 'a manufacturer opens campaigns about its own robots only', [
        { field: '/manufacturerId', message: 'must be your own organisation, or left out' },
      ]);
    if (draft.stopUse)
      throw forbidden('stop-use-needs-regulator', 'only a regulator may order robots to stop use');
  }
  const id = regulator ? manufacturerId : actor.orgId;
  if (id === undefined) return null;
  const owner = await tx.getOrganisation(id);
  if (!owner || !owner.roles.includes('manufacturer'))
    throw invalid('unknown-manufacturer', `no manufacturer ${id}`, [
      { field: '/manufacturerId', message: 'must be a registered manufacturer' },
    ]);
  assertModelsInScope(draft, idPrefixOf(owner));
  return owner;
}

function assertModelsInScope(draft: RecallDraft, scope: string[]) {
  const outside = (draft.criteria.models ?? []).flatMap((m, i) =>
    scope.some((p) => m.startsWith(p))
      ? []
      : [
          {
            field: `/criteria/models/${i}`,
            message: `not a model of ${scope.join(', ') || 'this manufacturer'}`,
          },
        ],
  );
  if (outside.length > 0)
    throw invalid('invalid-criteria', "the campaign's models must be the manufacturer's own", outside);
}

/** Who may manage a campaign: a regulator, or the manufacturer whose campaign it is. */
export function requireManager(caller: Caller, recall: RecallRecord): Actor {
  const actor = requireActor(caller);
  if (actor.roles.has('regulator') || actor.orgId === recall.manufacturerId) return actor;
  throw notFound('recall-not-found', `no recall ${recall.number} that you manage`);
}

export async function getRecallOrFail(r: Reader, number: string): Promise<RecallRecord> {
  const recall = await r.getRecall(number);
  if (!recall) throw notFound('recall-not-found', `no recall ${number}`);
  return recall;
}

/** Closes a campaign: no robots join it any more; their entries stay as they are. */
export async function closeRecall(ctx: AppContext, caller: Caller, number: string): Promise<RecallRecord> {
  return audited(
    ctx,
    caller,
    'recalls.close',
    async (tx) => {
      const recall = await getRecallOrFail(tx, number);
      requireManager(caller, recall);
      if (recall.status === 'closed') throw conflict('recall-closed', `recall ${number} is closed already`);
      const closedAt = isoNow(ctx);
      await tx.updateRecall(number, { status: 'closed', closedAt });
      const closed: RecallRecord = { ...recall, status: 'closed', closedAt };
      await announce(tx, closedAt, [
        {
          ...openedNotice(closed),
          topic: 'recall.updated',
          data: { ...recallSummary(closed), status: 'closed' },
        },
      ]);
      return closed;
    },
    (r) => r.number,
    number,
  );
}
