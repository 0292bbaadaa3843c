/** A regulator's triage of an incident: one allowed move at a time, kept as history, audited and announced. */
import { DomainError, invalid, notFound } from '../../domain/errors.js';
import { TRIAGE_MOVES, triageAllowed, type TriageState } from '../../domain/safety/incidents.js';
import type { IncidentDetail, TriageEntry } from '../../store/store.js';
import { requireRole } from '../access.js';
import { audited } from '../audit.js';
import { isoNow, type AppContext, type Caller } from '../context.js';
import { announce } from '../notifications/announce.js';
import { noteRead } from '../policy/reads.js';
import { seesFor } from '../../domain/policy/view.js';
import type { DataClass } from '../../domain/policy/table.js';
import type { IncidentView } from './read.js';
import { incidentView } from './view.js';

export interface TriageRequest {
  state: TriageState;
  note?: string;
  rootCause?: string;
}

function checkMove(incident: IncidentDetail, req: TriageRequest) {
  if (incident.withdrawn !== null) {
    throw new DomainError(
      'conflict',
      'incident-withdrawn',
      `incident ${incident.id} was withdrawn by a correction of its report (seq ${incident.withdrawn.seq})`,
    );
  }
  const from = incident.state;
  if (!triageAllowed(from, req.state)) {
    const allowed = TRIAGE_MOVES[from];
    throw new DomainError(
      'conflict',
      'triage-move-not-allowed',
      `incident ${incident.id} is '${from}': it cannot move to '${req.state}'; allowed now: ${allowed.join(', ')}`,
      [{ field: '/state', message: `from '${from}' only to ${allowed.join(' or ')}` }],
      { state: from, allowed },
    );
  }
  if (req.state === 'root_cause_found' && req.rootCause === undefined) {
    throw invalid('root-cause-required', 'say what the root cause is', [
      { field: '/rootCause', message: "required when the state becomes 'root_cause_found'" },
    ]);
  }
  if (req.state !== 'root_cause_found' && req.rootCause !== undefined) {
    throw invalid('root-cause-unexpected', `a root cause goes with 'root_cause_found', not '${req.state}'`, [
      { field: '/rootCause', message: "only with state 'root_cause_found'" },
    ]);
  }
}

/**
 * Moves an incident to the state asked for, if the move is allowed from where it is (409 with the allowed moves
 * otherwise). The move, the audit record and the `incident.triaged` notice commit together.
 */
export async function triageIncident(
  ctx: AppContext,
  caller: Caller,
  id: number,
  req: TriageRequest,
): Promise<IncidentView> {
  const triaged = await audited(
    ctx,
    caller,
    'incident.triage',
    async (tx) => {
      const actor = requireRole(caller, 'regulator');
      const incident = await tx.getIncident(id);
      if (!incident) throw notFound('incident-not-found', `no incident ${id}`);
      checkMove(incident, req);
      const at = isoNow(ctx);
      const entry: TriageEntry = {
        at,
        orgId: actor.orgId,
        keyId: actor.keyId,
        from: incident.state,
        to: req.state,
        note: req.note ?? null,
        rootCause: req.rootCause ?? null,
      };
      await tx.triageIncident({ incidentId: id, entry });
      await announce(tx, at, [
        {
          topic: 'incident.triaged',
          audience: [incident.manufacturerId, incident.custodianId, incident.currentOperatorId].filter(
            (o): o is string => !!o,
          ),
          robotId: incident.robotId,
          data: { incidentId: id, robotId: incident.robotId, from: entry.from, to: entry.to, at },
        },
      ]);
      return { entry, incident: (await tx.getIncident(id))! };
    },
    ({ entry }) => `incident ${id}: ${entry.from} -> ${entry.to}`,
    `incident ${id}`,
  );
  // The incident as it is now, for the regulator that moved it (who may see it whole).
  const seen = new Set<DataClass>();
  const view = incidentView(triaged.incident, seesFor('regulator'), seen);
  noteRead(ctx, caller, { robotId: triaged.incident.robotId, classes: seen, outcome: 'granted' });
  return view;
}
