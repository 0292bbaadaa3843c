/**
 * The event types as a client (the console's forms) needs them, made from the sources the registry itself decides
 * by: the payload schemas it validates with (payloads.ts) and who may report each type (the transition table,
 * rules.ts). Only the titles are written here; a new event type without them does not compile.
 */
import type { TSchema } from 'typebox';
import type { Role } from '../org/roles.js';
import { EVENT_TYPES, type EventType } from './events.js';
import { PAYLOAD_SCHEMAS } from './payloads.js';
import { TRANSITIONS, describeWho, type Party } from './rules.js';

/** Who may report a type: the reporter's relation to the robot (any of `parties`) and its organisation's roles. */
export interface ReportedBy {
  /** One of these organisation roles is needed; empty: any role. */
  roles: Role[];
  /** The reporter is one of these, relative to the robot (rules.ts `Party`; corrections: `original-reporter`). */
  parties: (Party | 'original-reporter')[];
  description: string;
}

export interface EventTypeEntry {
  type: EventType;
  title: string;
  titleZh: string;
  payloadSchema: TSchema;
  reportedBy: ReportedBy;
}

export const EVENT_TITLES: Readonly<Record<EventType, { en: string; zh: string }>> = {
  manufactured: { en: 'Manufactured', zh: '生产' },
  certified: { en: 'Certified', zh: '认证' },
  shipped: { en: 'Shipped', zh: '发货' },
  received: { en: 'Received', zh: '收货' },
  sold: { en: 'Sold', zh: '销售' },
  activated: { en: 'Put into use', zh: '投入使用' },
  serviced: { en: 'Serviced', zh: '维修保养' },
  incident_reported: { en: 'Incident reported', zh: '事故报告' },
  ownership_transferred: { en: 'Ownership transferred', zh: '所有权转移' },
  suspended: { en: 'Stop-use order', zh: '停止使用令' },
  reinstated: { en: 'Reinstated', zh: '恢复使用' },
  decommissioned: { en: 'Decommissioned (scrapped)', zh: '报废' },
  recycled: { en: 'Recycled', zh: '回收' },
  exported: { en: 'Exported', zh: '出口' },
  imported: { en: 'Imported', zh: '进口' },
  reported_lost: { en: 'Reported lost', zh: '报告丢失' },
  reported_stolen: { en: 'Reported stolen', zh: '报告被盗' },
  recovered: { en: 'Recovered', zh: '找回' },
  corrected: { en: 'Correction of an earlier event', zh: '更正此前事件' },
};

/** Corrections are no transition: who may correct is `mayCorrect` in corrections.ts. */
const CORRECTED_BY: ReportedBy = {
  roles: [],
  parties: ['original-reporter', 'regulator'],
  description: 'the organisation that reported the corrected event, or a regulator',
};

function reportedBy(type: EventType): ReportedBy {
  if (type === 'corrected') return CORRECTED_BY;
  const t = TRANSITIONS[type];
  const parties = [...t.who.anyOf];
  // A party that is a role (a regulator) needs that role, though the table names it as a party.
  const roles: Role[] = t.who.roles
    ? [...t.who.roles]
    : parties.every((p) => p === 'regulator')
      ? ['regulator']
      : [];
  return { roles, parties, description: describeWho(t) };
}

/** Every event type the registry accepts, in EVENT_TYPES order. */
export const eventTypeCatalogue = (): EventTypeEntry[] =>
  EVENT_TYPES.map((type) => ({
    type,
    title: EVENT_TITLES[type].en,
    titleZh: EVENT_TITLES[type].zh,
    payloadSchema: PAYLOAD_SCHEMAS[type],
    reportedBy: reportedBy(type),
  }));
