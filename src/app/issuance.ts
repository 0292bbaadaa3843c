import { createHash } from 'node:crypto';
import { conflict, invalid, Issues, notFound, type FieldIssue } from '../domain/errors.js';
import {
  formatRobotId,
  printedFromValidCanonical,
  registrySerial,
  validateManufacturerSerial,
  validateModelCode,
} from '../domain/id/index.js';
import type { Tx } from '../store/store.js';
import { requireRole } from './access.js';
import { audited } from './audit.js';
import { isoNow, randomId, type Actor, type AppContext, type Caller } from './context.js';
import { manufacturerFor } from './models.js';

export const MAX_ISSUE_COUNT = 100_000;
export const MAX_SUPPLIED_SERIALS = 10_000;

export interface IssueRequest {
  model: string;
  /** How many IDs with registry-issued serials. Exactly one of `count` and `serials`. */
  count?: number;
  /** The manufacturer's own serial numbers, one ID each. */
  serials?: string[];
  manufacturerId?: string;
  /** The caller's idempotency key: a retry with the same id and content returns the first result. */
  requestId?: string;
}

export interface IssueResult {
  issuanceId: string;
  enterpriseCode: string;
  modelCode: string;
  count: number;
  /** Printed forms (31 characters, with check characters), in serial order. */
  ids: string[];
  /** True when this answers a retry of a request already served. */
  replayed: boolean;
}

/** Issues robot IDs for one model: registry serials in a block, or the manufacturer's own serials. */
export async function issueIds(ctx: AppContext, caller: Caller, request: IssueRequest): Promise<IssueResult> {
  return audited(
    ctx,
    caller,
    'id.issue',
    (tx) => {
      const actor = requireRole(caller, 'manufacturer', 'admin');
      return issueInTx(ctx, tx, actor, checkRequest(request));
    },
    (r) => r.issuanceId,
    request.model,
  );
}

function checkRequest(request: IssueRequest): CheckedRequest {
  const modelCode = validateModelCode(request.model, '/model');
  if (request.count !== undefined && request.serials !== undefined) {
    throw invalid('count-or-serials-required', 'give either count or serials, not both', [
      { field: '/serials', message: 'not allowed together with count' },
    ]);
  }
  const serials = request.serials === undefined ? null : validateSuppliedSerials(request.serials);
  const count = serials ? serials.length : validateCount(request.count);
  const requestHash = hashRequest([modelCode, count, serials, request.manufacturerId ?? null]);
  return { modelCode, serials, count, requestHash, request };
}

interface CheckedRequest {
  modelCode: string;
  serials: string[] | null;
  count: number;
  requestHash: string;
  request: IssueRequest;
}

async function issueInTx(ctx: AppContext, tx: Tx, actor: Actor, req: CheckedRequest): Promise<IssueResult> {
  const manufacturer = await manufacturerFor(tx, actor, req.request.manufacturerId);
  const requestId = req.request.requestId ?? null;
  if (requestId) {
    const earlier = await tx.findIssuanceByRequest(manufacturer.id, requestId);
    if (earlier) return replay(tx, earlier, req.requestHash);
  }
  const enterpriseCode = manufacturer.enterpriseCode!;
  if (!(await tx.getModel(enterpriseCode, req.modelCode))) {
    throw notFound('model-not-found', `no model ${req.modelCode} for enterprise ${enterpriseCode}`);
  }
  // In serial order, so that a replay (read back by ID) answers exactly as the first response did.
  const serials = req.serials
    ? [...req.serials].sort()
    : await reserveRegistrySerials(tx, enterpriseCode, req.modelCode, req.count);
  // Country, enterprise and model are checked once here; every serial was checked (or made) above.
  const prefix = formatRobotId({
    country: manufacturer.jurisdiction,
    enterprise: enterpriseCode,
    model: req.modelCode,
    serial: serials[0]!,
  }).canonical.slice(0, 12);
  const ids = serials.map((serial) => prefix + serial);
  if (req.serials) await refuseExisting(tx, prefix, req.serials);
  const issuanceId = randomId('iss_');
  await tx.insertIssuance({
    id: issuanceId,
    orgId: manufacturer.id,
    keyId: actor.keyId,
    requestId,
    requestHash: req.requestHash,
    enterpriseCode,
    modelCode: req.modelCode,
    serialSource: req.serials ? 'manufacturer' : 'registry',
    count: ids.length,
    createdAt: isoNow(ctx),
  });
  await tx.insertRobots(issuanceId, ids);
  return {
    issuanceId,
    enterpriseCode,
    modelCode: req.modelCode,
    count: ids.length,
    ids: ids.map(printedFromValidCanonical),
    replayed: false,
  };
}

async function reserveRegistrySerials(tx: Tx, enterpriseCode: string, modelCode: string, count: number) {
  const first = await tx.reserveSerials(enterpriseCode, modelCode, count);
  return Array.from({ length: count }, (_, i) => registrySerial(first + i));
}

async function replay(
  tx: Tx,
  earlier: { id: string; requestHash: string; enterpriseCode: string; modelCode: string },
  hash: string,
) {
  if (earlier.requestHash !== hash) {
    throw conflict('request-id-reused', 'this requestId was used before for a different request', [
      { field: '/requestId', message: 'already used with other content' },
    ]);
  }
  const ids = (await tx.listIssuedIds(earlier.id)).map(printedFromValidCanonical);
  return {
    issuanceId: earlier.id,
    enterpriseCode: earlier.enterpriseCode,
    modelCode: earlier.modelCode,
    count: ids.length,
    ids,
    replayed: true,
  };
}

/** Names each supplied serial (by its place in the request) that has an ID already. */
async function refuseExisting(tx: Tx, prefix: string, serials: string[]) {
  const existing = new Set(await tx.existingRobotIds(serials.map((serial) => prefix + serial)));
  if (existing.size === 0) return;
  const fields: FieldIssue[] = [];
  serials.forEach((serial, i) => {
    if (existing.has(prefix + serial))
      fields.push({ field: `/serials/${i}`, message: `serial ${serial} has an ID already` });
  });
  throw conflict(
    'serial-exists',
    `${existing.size} of these serials have IDs already; IDs are never issued twice`,
    fields,
  );
}

function validateCount(count: number | undefined): number {
  if (count === undefined) {
    throw invalid('count-or-serials-required', 'give either count (registry serials) or serials (your own)', [
      { field: '/count', message: 'required when serials is absent' },
    ]);
  }
  if (!Number.isInteger(count) || count < 1 || count > MAX_ISSUE_COUNT) {
    throw invalid('invalid-count', `count must be a whole number from 1 to ${MAX_ISSUE_COUNT}`, [
      { field: '/count', message: `must be 1..${MAX_ISSUE_COUNT}` },
    ]);
  }
  return count;
}

function validateSuppliedSerials(serials: string[]): string[] {
  const issues = new Issues();
  if (serials.length === 0)
    issues.add({ field: '/serials', message: `must hold 1..${MAX_SUPPLIED_SERIALS} serials` });
  const seen = new Map<string, number>();
  const normalised = serials.map((raw, i) => {
    const serial = issues.check(() => validateManufacturerSerial(raw, `/serials/${i}`));
    if (serial === undefined) return raw;
    const first = seen.get(serial);
    if (first !== undefined) issues.add({ field: `/serials/${i}`, message: `repeats /serials/${first}` });
    else seen.set(serial, i);
    return serial;
  });
  issues.throwIfAny('invalid-serials');
  return normalised;
}

function hashRequest(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
