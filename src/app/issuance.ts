import { createHash } from 'node:crypto';
import { conflict, invalid, notFound, type FieldIssue } from '../domain/errors.js';
import { formatRobotId, isRegistrySerial, registrySerial, validateModelCode, validateSerial } from '../domain/id/index.js';
import type { RobotRecord, Tx } from '../store/store.js';
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
  const serials = req.serials ?? (await reserveRegistrySerials(tx, enterpriseCode, req.modelCode, req.count));
  const issuanceId = randomId('iss_');
  const issuedAt = isoNow(ctx);
  const robots: RobotRecord[] = [];
  const printed: string[] = [];
  for (const serial of serials) {
    const id = formatRobotId({ country: manufacturer.jurisdiction, enterprise: enterpriseCode, model: req.modelCode, serial });
    robots.push({ id: id.canonical, enterpriseCode, modelCode: req.modelCode, serial, manufacturerId: manufacturer.id, issuanceId, issuedAt });
    printed.push(id.printed);
  }
  if (req.serials) await refuseExisting(tx, robots, req.serials);
  await tx.insertIssuance({
    id: issuanceId,
    orgId: manufacturer.id,
    keyId: actor.keyId,
    requestId,
    requestHash: req.requestHash,
    enterpriseCode,
    modelCode: req.modelCode,
    serialSource: req.serials ? 'manufacturer' : 'registry',
    count: robots.length,
    createdAt: issuedAt,
  });
  await tx.insertRobots(robots);
  return { issuanceId, enterpriseCode, modelCode: req.modelCode, count: robots.length, ids: printed, replayed: false };
}

async function reserveRegistrySerials(tx: Tx, enterpriseCode: string, modelCode: string, count: number) {
  const first = await tx.reserveSerials(enterpriseCode, modelCode, count);
  return Array.from({ length: count }, (_, i) => registrySerial(first + i));
}

async function replay(tx: Tx, earlier: { id: string; requestHash: string; enterpriseCode: string; modelCode: string }, hash: string) {
  if (earlier.requestHash !== hash) {
    throw conflict('request-id-reused', 'this requestId was used before for a different request', [
      { field: '/requestId', message: 'already used with other content' },
    ]);
  }
  const ids = (await tx.listIssuedIds(earlier.id)).map((canonical) => formatPrinted(canonical));
  return { issuanceId: earlier.id, enterpriseCode: earlier.enterpriseCode, modelCode: earlier.modelCode, count: ids.length, ids, replayed: true };
}

function formatPrinted(canonical: string): string {
  return formatRobotId({
    country: canonical.slice(0, 2),
    enterprise: canonical.slice(2, 6),
    model: canonical.slice(6, 12),
    serial: canonical.slice(12),
  }).printed;
}

async function refuseExisting(tx: Tx, robots: RobotRecord[], serials: string[]) {
  const existing = new Set(await tx.existingRobotIds(robots.map((r) => r.id)));
  if (existing.size === 0) return;
  const fields: FieldIssue[] = [];
  robots.forEach((r, i) => {
    if (existing.has(r.id)) fields.push({ field: `/serials/${i}`, message: `serial ${serials[i]} has an ID already` });
  });
  throw conflict('serial-exists', `${existing.size} of these serials have IDs already; IDs are never issued twice`, fields);
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
  const fields: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const normalised = serials.map((raw, i) => {
    const field = `/serials/${i}`;
    try {
      const serial = validateSerial(raw, field);
      if (isRegistrySerial(serial)) fields.push({ field, message: 'serials R + 16 digits are reserved for registry issuance' });
      const first = seen.get(serial);
      if (first !== undefined) fields.push({ field, message: `repeats /serials/${first}` });
      else seen.set(serial, i);
      return serial;
    } catch (error) {
      fields.push(...((error as { fields?: FieldIssue[] }).fields ?? [{ field, message: String(error) }]));
      return raw;
    }
  });
  if (serials.length === 0 || serials.length > MAX_SUPPLIED_SERIALS) {
    fields.push({ field: '/serials', message: `must hold 1..${MAX_SUPPLIED_SERIALS} serials` });
  }
  if (fields.length > 0) throw invalid('invalid-serials', `${fields.length} problem(s) with the serials`, fields.slice(0, 100));
  return normalised;
}

function hashRequest(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex');
}
