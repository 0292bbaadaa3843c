/**
 * The incidents table, derived in the capture's unit of work from accepted `incident_reported` events (and
 * withdrawn by corrections of them), with the notices that announce new incidents.
 */
import type { CorrectedPayload, IncidentPayload } from '../../domain/lifecycle/events.js';
import type { RobotStatus } from '../../domain/lifecycle/status.js';
import { modelKeyOf, monthOf, type IncidentSource } from '../../domain/safety/incidents.js';
import type { Notice } from '../../domain/safety/notices.js';
import type { NewIncident, Tx } from '../../store/store.js';
import { announce } from '../notifications/announce.js';
import type { CommittedEvent, DerivedRecorder } from '../capture/derived.js';
import { isoNow } from '../context.js';

/** Who reported, when the report does not say: the maker, else the holder or operator, else its service provider. */
function sourceOf(reporter: string, status: RobotStatus): IncidentSource {
  if (reporter === status.manufacturerId) return 'manufacturer';
  if (reporter === status.custodianId || reporter === status.operatorId) return 'operator';
  return 'service_provider';
}

const part = (p: { kind?: string | undefined; partNumber: string; serial?: string; lot?: string }) => ({
  kind: (p.kind ?? null) as NewIncident['components'][number]['kind'],
  partNumber: p.partNumber,
  serial: p.serial ?? null,
  lot: p.lot ?? null,
});

export function incidentOf({ event, seq, after }: CommittedEvent): NewIncident {
  const p = event.payload as IncidentPayload;
  const eventTime = new Date(event.eventTime).toISOString();
  return {
    id: seq,
    robotId: event.robotId,
    eventId: event.eventId,
    model: modelKeyOf(event.robotId),
    manufacturerId: after.manufacturerId,
    category: p.category,
    severity: p.severity,
    injuries: p.injuries ?? null,
    region: p.region ?? after.site?.region ?? null,
    eventTime,
    month: monthOf(eventTime),
    recordTime: event.recordTime,
    reportedBy: event.orgId,
    source: p.source ?? sourceOf(event.orgId, after),
    operatorId: after.operatorId,
    description: p.description ?? null,
    attachments: p.attachments ?? [],
    // Only the parts the report names: those fitted then are read from the robot's parts by this seq.
    components: (p.components ?? []).map(part),
    software: after.software.map((s) => ({ target: s.target, version: s.version })),
  };
}

/**
 * Announced to the robot's manufacturer, custodian and operator. No injuries or description: the custodian may
 * not see usage data, and a notice is never personal.
 */
const reportedNotice = (i: NewIncident, status: RobotStatus): Notice => ({
  topic: 'incident.reported',
  audience: [status.manufacturerId, status.custodianId, status.operatorId].filter((o): o is string => !!o),
  robotId: i.robotId,
  data: {
    incidentId: i.id,
    robotId: i.robotId,
    model: i.model,
    category: i.category,
    severity: i.severity,
    source: i.source,
    eventTime: i.eventTime,
  },
});

export const recordIncidents: DerivedRecorder = async (tx: Tx, ctx, committed) => {
  let concerned = false;
  for (const c of committed) {
    if (c.event.type === 'incident_reported' || c.event.type === 'corrected') {
      concerned = true;
      break;
    }
  }
  if (!concerned) return;
  // In order: an incident reported and corrected in the same batch is first written, then withdrawn.
  let incidents: NewIncident[] = [];
  let notices: Notice[] = [];
  const flush = async () => {
    if (incidents.length === 0) return;
    await tx.insertIncidents(incidents);
    await announce(tx, isoNow(ctx), notices);
    incidents = [];
    notices = [];
  };
  for (const c of committed) {
    if (c.event.type === 'incident_reported') {
      const incident = incidentOf(c);
      incidents.push(incident);
      notices.push(reportedNotice(incident, c.after));
    } else if (c.event.type === 'corrected') {
      await flush();
      const { correctsEventId } = c.event.payload as CorrectedPayload;
      await tx.withdrawIncidents([
        { robotId: c.event.robotId, eventId: correctsEventId, seq: c.seq, at: c.event.recordTime },
      ]);
    }
  }
  await flush();
};
