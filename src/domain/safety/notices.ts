/**
 * Notices: what the registry announces to the organisations a safety matter concerns (recalls, stop-use orders,
 * incidents, compliance findings). A notice is written in the same unit of work as what it announces (a
 * transactional outbox), so it exists if and only if that was committed; delivery (webhooks, NATS) reads them after.
 */

export const NOTICE_TOPICS = [
  'recall.opened',
  'recall.updated',
  'recall.affects',
  'robot.suspended',
  'robot.reinstated',
  'incident.reported',
  'incident.triaged',
  'compliance.finding',
] as const;
export type NoticeTopic = (typeof NOTICE_TOPICS)[number];

export const isNoticeTopic = (value: string): value is NoticeTopic =>
  (NOTICE_TOPICS as readonly string[]).includes(value);

/** A notice as announced. Regulators may receive every notice; other organisations only those naming them. */
export interface Notice {
  topic: NoticeTopic;
  /** The organisations it concerns (a robot's manufacturer, custodian, operator; a campaign's manufacturer…). */
  audience: string[];
  /** The robot it is about, if one. */
  robotId: string | null;
  /** What subscribers receive: plain JSON, never personal data (a person is named only by party id). */
  data: Record<string, unknown>;
}
