/**
 * Who sees an incident, and how much: the caller's relation to the incident's robot now (src/domain/policy), the
 * record cut to the classes that relation sees (INCIDENT_FIELDS). Regulators see every incident, a manufacturer
 * its own robots', a custodian or operator those of the robots it holds or operates now; anyone else none. An
 * operator sees the usage side (where, injuries, description) only of incidents from its own tenure.
 */
import {
  INCIDENT_FIELDS,
  type DataClass,
  type FieldTable,
  type Relation,
} from '../../domain/policy/table.js';
import { redact, relationOf, seesFor, type Sees } from '../../domain/policy/view.js';
import type { IncidentDetail, IncidentSummary } from '../../store/store.js';
import type { Actor } from '../context.js';

export interface IncidentSight {
  relation: Relation;
  sees: Sees;
}

/** What the caller is to this incident, or null when it may not see it at all. */
export function incidentSight(actor: Actor, incident: IncidentSummary, at: string): IncidentSight | null {
  const parties = {
    manufacturerId: incident.manufacturerId,
    custodianId: incident.custodianId,
    operatorId: incident.currentOperatorId,
    grants: [],
  };
  const relation = relationOf(actor, parties, at);
  if (relation === 'authorised' || relation === 'public') return null;
  const sees = seesFor(relation);
  if (relation === 'operator' && incident.operatorId !== actor.orgId) {
    return { relation, sees: (c) => c !== 'usage' && sees(c) };
  }
  return { relation, sees };
}

/** The incident as the API shows it, before the cut. */
function record(i: IncidentSummary | IncidentDetail): Record<string, unknown> {
  const shown: Record<string, unknown> = {
    id: i.id,
    robotId: i.robotId,
    eventId: i.eventId,
    model: i.model,
    manufacturerId: i.manufacturerId,
    category: i.category,
    severity: i.severity,
    source: i.source,
    eventTime: i.eventTime,
    month: i.month,
    recordTime: i.recordTime,
    reportedBy: i.reportedBy,
    state: i.state,
    rootCause: i.rootCause,
    withdrawn: i.withdrawn,
    injuries: i.injuries,
    region: i.region,
    description: i.description,
    attachments: i.attachments,
  };
  if ('triage' in i) {
    Object.assign(shown, {
      components: i.components,
      fitted: i.fitted,
      software: i.software,
      triage: i.triage,
    });
  }
  return shown;
}

/** Whether `sees` accepts any class in a field's rule (an empty list of such items is then shown as empty). */
function seesAny(rule: FieldTable[string], sees: Sees): boolean {
  if (typeof rule === 'string') return sees(rule);
  const inner = Array.isArray(rule) ? (rule[0] as FieldTable) : (rule as FieldTable);
  return Object.values(inner).some((r) => seesAny(r, sees));
}

/** The incident cut to what `sees` accepts; `seen` collects the classes shown (for the read audit). */
export function incidentView(
  incident: IncidentSummary | IncidentDetail,
  sees: Sees,
  seen: Set<DataClass>,
): Record<string, unknown> {
  const full = record(incident);
  const view = (redact(full, INCIDENT_FIELDS, sees, seen) ?? {}) as Record<string, unknown>;
  // The cut drops empty lists; "no triage yet" or "no attachments" is worth saying to those who could see them.
  for (const [field, value] of Object.entries(full)) {
    if (Array.isArray(value) && value.length === 0 && seesAny(INCIDENT_FIELDS[field]!, sees))
      view[field] = [];
  }
  return view;
}
