import { Issues } from '../errors.js';
import { jsonObjectSetting } from '../settings.js';
import { EVENT_TYPES, type EventType } from './events.js';

/**
 * Days an organisation has, from when an event happened (eventTime) to when the registry receives it
 * (recordTime). Later reports are accepted and flagged late. Configurable per deployment; these are defaults.
 */
export const DEFAULT_REPORTING_DEADLINE_DAYS: Record<EventType, number> = {
  manufactured: 7,
  certified: 7,
  shipped: 7,
  received: 7,
  sold: 7,
  activated: 7,
  serviced: 30,
  incident_reported: 3,
  ownership_transferred: 15,
  suspended: 1,
  reinstated: 1,
  decommissioned: 15,
  recycled: 15,
  exported: 7,
  imported: 7,
  reported_lost: 3,
  reported_stolen: 1,
  recovered: 3,
  corrected: 30,
};

const DAY_MS = 86_400_000;

export const isLate = (deadlineDays: number, eventTime: string, recordTime: string) =>
  isLateAt(deadlineDays, eventTime, Date.parse(recordTime));

/** isLate with the record time as milliseconds: a batch's events share one, read once. */
export const isLateAt = (deadlineDays: number, eventTime: string, recordMs: number) =>
  recordMs - Date.parse(eventTime) > deadlineDays * DAY_MS;

/**
 * A deployment's deadlines: the defaults with overrides from a JSON object such as `{"sold": 5, "serviced": 14}`
 * (the `ROBOTID_DEADLINES` setting). Unknown event types and anything but whole days from 1 to 3650 are refused.
 */
export function deadlinesWith(
  overridesJson: string | undefined,
  field = 'ROBOTID_DEADLINES',
): Record<EventType, number> {
  const deadlines = { ...DEFAULT_REPORTING_DEADLINE_DAYS };
  if (overridesJson === undefined || overridesJson.trim() === '') return deadlines;
  const parsed = jsonObjectSetting(overridesJson, field, 'invalid-deadlines', 'event type → days');
  const issues = new Issues();
  for (const [type, days] of Object.entries(parsed)) {
    if (!(EVENT_TYPES as readonly string[]).includes(type))
      issues.add({ field: `${field}/${type}`, message: 'unknown event type' });
    else if (!Number.isInteger(days) || (days as number) < 1 || (days as number) > 3650) {
      issues.add({ field: `${field}/${type}`, message: 'must be whole days from 1 to 3650' });
    } else deadlines[type as EventType] = days as number;
  }
  issues.throwIfAny('invalid-deadlines');
  return deadlines;
}
