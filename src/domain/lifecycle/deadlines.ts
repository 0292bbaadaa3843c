import type { EventType } from './events.js';

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
  Date.parse(recordTime) - Date.parse(eventTime) > deadlineDays * DAY_MS;
