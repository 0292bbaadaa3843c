import type { ReportedEvent } from '../../domain/lifecycle/events.js';
import type { PreparedEvent } from './prepare.js';

/** Each valid event of a batch as reported, its payload parsed once: reading ahead and the checks both need it. */
export class ReportedEvents {
  private readonly parsed = new Map<PreparedEvent, ReportedEvent>();

  of(prepared: PreparedEvent): ReportedEvent {
    let event = this.parsed.get(prepared);
    if (!event) {
      event = {
        eventId: prepared.eventId,
        type: prepared.type,
        robotId: prepared.robotId,
        eventTime: prepared.eventTime,
        payload: JSON.parse(prepared.payloadJson) as unknown,
      } as ReportedEvent;
      this.parsed.set(prepared, event);
    }
    return event;
  }
}
