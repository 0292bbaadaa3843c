/** Reading incidents: one with its triage history, a search, and trends; every read passes the policy gate. */
import { DomainError, forbidden, invalid, notFound } from '../../domain/errors.js';
import { parseRobotId } from '../../domain/id/index.js';
import type { DataClass } from '../../domain/policy/table.js';
import type { TrendDimension, TriageState } from '../../domain/safety/incidents.js';
import type { IncidentFilter, IncidentTrend, Page, PageRequest } from '../../store/store.js';
import { hasRole, requireActor } from '../access.js';
import { isoNow, type Actor, type AppContext, type Caller } from '../context.js';
import { noteRead } from '../policy/reads.js';
import { requireBulkPurpose, requirePurpose } from '../policy/relation.js';
import { incidentSight, incidentView } from './view.js';

export type IncidentView = Record<string, unknown>;

/** An incident with its triage history, as far as the caller may see it; else 404 (recorded as denied). */
export async function showIncident(ctx: AppContext, caller: Caller, id: number): Promise<IncidentView> {
  const actor = requireActor(caller);
  const incident = await ctx.store.read((r) => r.getIncident(id));
  const sight = incident ? incidentSight(actor, incident, isoNow(ctx)) : null;
  if (!incident || !sight) {
    if (incident)
      noteRead(ctx, caller, { robotId: incident.robotId, classes: ['technical'], outcome: 'denied' });
    throw notFound('incident-not-found', `no incident ${id} that you may see`);
  }
  requirePurpose(actor, sight.relation);
  const seen = new Set<DataClass>();
  const view = incidentView(incident, sight.sees, seen);
  noteRead(ctx, caller, { robotId: incident.robotId, classes: seen, outcome: 'granted' });
  return view;
}

/** Incident search as given over HTTP (the store's filter without the policy's scope). */
export interface IncidentQuery {
  manufacturer?: string;
  model?: string;
  robot?: string;
  state?: TriageState;
  category?: IncidentFilter['category'];
  severity?: IncidentFilter['severity'];
  partNumber?: string;
  lot?: string;
  softwareTarget?: string;
  softwareVersion?: string;
  from?: string;
  to?: string;
  includeWithdrawn?: boolean;
}

/** `CN-0001-H1X9B4` or `CN0001H1X9B4`: a model as the first 12 characters of its robots' IDs. */
function modelKey(value: string): string {
  const key = value.replace(/-/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9A-Z]{10}$/.test(key)) {
    throw invalid('invalid-model', `model must be country, enterprise and model code, e.g. CN-0001-H1X9B4`, [
      { field: 'query:/model', message: 'not a model key: 2 letters, 4 + 6 characters' },
    ]);
  }
  return key;
}

/** The query as a store filter: IDs canonical, instants in UTC (as stored, to compare as text). */
function filterOf(q: IncidentQuery): IncidentFilter {
  if ((q.softwareTarget === undefined) !== (q.softwareVersion === undefined)) {
    const missing = q.softwareTarget === undefined ? 'softwareTarget' : 'softwareVersion';
    throw invalid('software-incomplete', 'firmware is searched by target and version together', [
      { field: `query:/${missing}`, message: 'required with the other' },
    ]);
  }
  const utc = (value: string | undefined) =>
    value === undefined ? undefined : new Date(value).toISOString();
  return {
    manufacturerId: q.manufacturer,
    model: q.model === undefined ? undefined : modelKey(q.model),
    robotId: q.robot === undefined ? undefined : parseRobotId(q.robot, 'query:/robot').canonical,
    state: q.state,
    category: q.category,
    severity: q.severity,
    partNumber: q.partNumber,
    lot: q.lot,
    software:
      q.softwareTarget === undefined ? undefined : { target: q.softwareTarget, version: q.softwareVersion! },
    from: utc(q.from),
    to: utc(q.to),
    includeWithdrawn: q.includeWithdrawn,
  };
}

/** A query as one line for the read audit: its filters by name, in name order. */
export const canonicalQuery = (path: string, q: object) =>
  `${path}?${Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&')}`;

const isRegulator = (actor: Actor) => hasRole(actor, 'regulator', 'admin');

/** A lot is the manufacturer's supply data: filtering by it reads it. */
const filteredClasses = (q: IncidentQuery): DataClass[] => (q.lot !== undefined ? ['supply'] : []);

/**
 * Incidents newest first, those the caller may see, each cut to what it sees. The scope is in the query; a row
 * whose filter the caller could not have read (a lot, for a mere holder) is left out.
 */
export async function listIncidents(
  ctx: AppContext,
  caller: Caller,
  q: IncidentQuery,
  page: PageRequest,
): Promise<Page<IncidentView>> {
  const actor = requireActor(caller);
  requireBulkPurpose(actor);
  const filter = { ...filterOf(q), ...(isRegulator(actor) ? {} : { scopeOrgId: actor.orgId }) };
  const found = await ctx.store.read((r) => r.findIncidents(filter, page));
  const filtered = filteredClasses(q);
  const seen = new Set<DataClass>(filtered);
  const at = isoNow(ctx);
  const items: IncidentView[] = [];
  for (const incident of found.items) {
    const sight = incidentSight(actor, incident, at);
    if (!sight || !filtered.every(sight.sees)) continue;
    items.push(incidentView(incident, sight.sees, seen));
  }
  noteRead(ctx, caller, { query: canonicalQuery('/v1/incidents', q), classes: seen, outcome: 'granted' });
  return { items, next: found.next };
}

export interface TrendQuery extends IncidentQuery {
  by: TrendDimension;
  parts?: 'fitted' | 'involved';
  limit?: number;
}

/** Scope of trends: regulators all incidents; a manufacturer its own robots'; anyone else none (403). */
function trendScope(actor: Actor): Pick<IncidentFilter, 'scopeManufacturerId'> {
  if (isRegulator(actor)) return {};
  if (hasRole(actor, 'manufacturer')) return { scopeManufacturerId: actor.orgId };
  throw forbidden('role-required', 'incident trends are for regulators and manufacturers (their own robots)');
}

/** Incidents counted per model, part, lot or firmware version, most first, or per month, oldest first. */
export async function incidentTrends(
  ctx: AppContext,
  caller: Caller,
  q: TrendQuery,
): Promise<{ by: TrendDimension; parts: 'fitted' | 'involved'; groups: IncidentTrend[] }> {
  const actor = requireActor(caller);
  requireBulkPurpose(actor);
  const { by, parts = 'fitted', limit = 100, ...rest } = q;
  const classes: DataClass[] = ['technical', 'usage', ...(by === 'lot' ? ['supply' as const] : [])];
  const query = canonicalQuery('/v1/incidents/trends', q);
  try {
    const filter = { ...filterOf(rest), ...trendScope(actor) };
    const groups = await ctx.store.read((r) => r.incidentTrends(filter, { by, parts, limit }));
    noteRead(ctx, caller, { query, classes: [...classes, ...filteredClasses(q)], outcome: 'granted' });
    return { by, parts, groups };
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'forbidden') {
      noteRead(ctx, caller, { query, classes, outcome: 'denied' });
    }
    throw error;
  }
}
