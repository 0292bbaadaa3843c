import { invalid, notFound } from '../domain/errors.js';
import { validateEnterpriseCode, validateModelCode } from '../domain/id/index.js';
import type { Page, PageRequest, Reader, RobotFilter, RobotSummary } from '../store/store.js';
import { SEARCH_FILTERS, SUMMARY_FIELDS, type DataClass, type Relation } from '../domain/policy/table.js';
import { redact, seesFor } from '../domain/policy/view.js';
import { requireActor } from './access.js';
import { noteRead } from './policy/reads.js';
import { requireBulkPurpose } from './policy/relation.js';
import type { Actor, AppContext, Caller } from './context.js';

export interface RobotQuery {
  enterpriseCode?: string;
  modelCode?: string;
  state?: string;
  region?: string;
  componentPartNumber?: string;
  componentSerial?: string;
  componentLot?: string;
  /** Also robots that carried the component once (replaced since). */
  includeRemoved?: boolean;
  softwareTarget?: string;
  softwareVersion?: string;
  certification?: 'valid' | 'invalid';
  producedFrom?: string;
  producedTo?: string;
}

/** The data classes a query's filters reveal (a filter on a field is a way to read it). */
function classesFiltered(q: RobotQuery): DataClass[] {
  return (Object.keys(SEARCH_FILTERS) as (keyof typeof SEARCH_FILTERS)[])
    .filter((k) => q[k] !== undefined)
    .map((k) => SEARCH_FILTERS[k]);
}

interface Scope {
  filter: Pick<RobotFilter, 'scopeIdPrefixes' | 'scopeCustodianId' | 'scopeOperatorId'>;
  /** Every row is seen with this relation; else each row's own (what the caller is to that robot). */
  relation?: Relation;
}

/**
 * Which robots a search runs over, pushed into the query so that nothing outside it leaves the database: a
 * regulator every robot; a manufacturer its own; anyone else the robots it holds — and where the filters touch
 * supply or usage data, only those it holds and operates (a holder such as a depot must not find an owner's
 * robots by region or lot).
 */
async function scopeFor(r: Reader, actor: Actor, filtered: readonly DataClass[]): Promise<Scope> {
  if (actor.roles.has('regulator') || actor.roles.has('admin')) return { filter: {}, relation: 'regulator' };
  if (actor.roles.has('manufacturer')) {
    const org = await r.getOrganisation(actor.orgId);
    const prefixes = org?.enterpriseCode ? [`${org.jurisdiction}${org.enterpriseCode}`] : [];
    return { filter: { scopeIdPrefixes: prefixes }, relation: 'manufacturer' };
  }
  const custodianSees = seesFor('custodian');
  if (filtered.every(custodianSees)) return { filter: { scopeCustodianId: actor.orgId } };
  return { filter: { scopeCustodianId: actor.orgId, scopeOperatorId: actor.orgId }, relation: 'operator' };
}

/** Each line cut down to what the caller is to that robot. */
async function redactRows(
  r: Reader,
  actor: Actor,
  rows: RobotSummary[],
  relation: Relation | undefined,
  seen: Set<DataClass>,
): Promise<RobotSummary[]> {
  const statuses = relation ? null : await r.getRobotStatuses(rows.map((row) => row.id));
  return rows.map((row) => {
    const status = statuses?.get(row.id);
    const own = relation ?? (status?.operatorId === actor.orgId ? 'operator' : 'custodian');
    const kept = redact(row, SUMMARY_FIELDS, seesFor(own), seen) as Partial<RobotSummary>;
    return {
      id: row.id,
      state: row.state,
      region: null,
      productionDate: null,
      certifiedUntil: null,
      ...kept,
    };
  });
}

async function idPrefixFor(r: Reader, q: RobotQuery): Promise<string | undefined> {
  if (q.modelCode !== undefined && q.enterpriseCode === undefined) {
    throw invalid('enterprise-required', 'a model code is only unique within an enterprise', [
      { field: 'query:/enterpriseCode', message: 'required with modelCode' },
    ]);
  }
  if (q.enterpriseCode === undefined) return undefined;
  const enterprise = validateEnterpriseCode(q.enterpriseCode, 'query:/enterpriseCode');
  const org = await r.findOrganisationByEnterpriseCode(enterprise);
  if (!org) throw notFound('manufacturer-not-found', `no manufacturer with enterprise code ${enterprise}`);
  const model = q.modelCode === undefined ? '' : validateModelCode(q.modelCode, 'query:/modelCode');
  return `${org.jurisdiction}${enterprise}${model}`;
}

/** Robots matching every given criterion, in ID order, as far as the caller may see them. */
export async function findRobots(
  ctx: AppContext,
  caller: Caller,
  q: RobotQuery,
  page: PageRequest<string>,
): Promise<Page<RobotSummary, string>> {
  const actor = requireActor(caller);
  requireBulkPurpose(actor);
  const component =
    q.componentLot !== undefined || q.componentSerial !== undefined || q.componentPartNumber !== undefined
      ? {
          partNumber: q.componentPartNumber,
          serial: q.componentSerial,
          lot: q.componentLot,
          includeRemoved: q.includeRemoved,
        }
      : undefined;
  if (q.softwareTarget !== undefined && q.softwareVersion === undefined) {
    throw invalid('version-required', 'give the software version to look for', [
      { field: 'query:/softwareVersion', message: 'required with softwareTarget' },
    ]);
  }
  const filtered = classesFiltered(q);
  const seen = new Set<DataClass>(filtered);
  const found = await ctx.store.read(async (r) => {
    const scope = await scopeFor(r, actor, filtered);
    const filter: RobotFilter = {
      ...scope.filter,
      idPrefix: await idPrefixFor(r, q),
      state: q.state,
      region: q.region,
      component,
      software:
        q.softwareVersion === undefined
          ? undefined
          : { target: q.softwareTarget, version: q.softwareVersion },
      certified: q.certification
        ? { valid: q.certification === 'valid', at: ctx.now().toISOString() }
        : undefined,
      producedFrom: q.producedFrom,
      producedTo: q.producedTo,
    };
    const result = await r.findRobots(filter, page);
    return { ...result, items: await redactRows(r, actor, result.items, scope.relation, seen) };
  });
  noteRead(ctx, caller, { query: canonicalQuery(q), classes: seen, outcome: 'granted' });
  return found;
}

/** The query as one line for the read audit: its filters in a fixed order. */
const canonicalQuery = (q: RobotQuery) =>
  Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('&');
