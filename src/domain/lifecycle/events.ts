/**
 * Lifecycle events: what the organisations that handle a robot report about it. Events are immutable; a wrong
 * one is corrected by a `corrected` event that references it (EPCIS errorDeclaration), never edited.
 */

export const EVENT_TYPES = [
  'manufactured',
  'certified',
  'shipped',
  'received',
  'sold',
  'activated',
  'serviced',
  'incident_reported',
  'ownership_transferred',
  'suspended',
  'reinstated',
  'decommissioned',
  'recycled',
  'exported',
  'imported',
  'reported_lost',
  'reported_stolen',
  'recovered',
  'corrected',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const COMPONENT_KINDS = [
  'actuator',
  'battery_pack',
  'main_controller',
  'sensor',
  'compute_module',
  'motor_driver',
  'hand',
  'camera',
  'lidar',
  'power_supply',
  'other',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

/** A key component fitted in a robot. `position` tells two of a kind apart (e.g. "left_knee"). */
export interface Component {
  kind: ComponentKind;
  position?: string;
  manufacturer: string;
  partNumber: string;
  serial?: string;
  lot?: string;
}

/** Firmware or software installed, by target (e.g. "main_controller", "motion_os"). */
export interface SoftwareVersion {
  target: string;
  version: string;
}

export interface ManufacturedPayload {
  productionDate: string;
  plant?: string;
  components: Component[];
  software: SoftwareVersion[];
}

export interface CertifiedPayload {
  standard: string;
  certificateNumber: string;
  result: 'pass' | 'fail';
  validUntil?: string;
}

export interface TransferPayload {
  /** The organisation that holds the robot afterwards. */
  toOrgId: string;
}

export interface ActivatedPayload {
  siteType:
    | 'factory'
    | 'warehouse'
    | 'retail'
    | 'hospital'
    | 'care_home'
    | 'home'
    | 'office'
    | 'public_space'
    | 'research'
    | 'other';
  /** Administrative region code (e.g. GB/T 2260 6-digit for China) or ISO 3166-2. */
  region: string;
}

export interface ServicedPayload {
  kind: 'maintenance' | 'repair' | 'inspection' | 'firmware_update';
  description?: string;
  replaced?: { old: Omit<Component, 'kind'> & { kind?: ComponentKind }; new: Component }[];
  software?: SoftwareVersion[];
  /** The recall campaign this service carries out the remedy of (e.g. RC-2026-000001). */
  recall?: string;
}

export const INCIDENT_CATEGORIES = [
  'fault',
  'fall',
  'collision',
  'injury',
  'cyber',
  'fire',
  'other',
] as const;
export const INCIDENT_SEVERITIES = ['minor', 'moderate', 'serious', 'critical'] as const;
/** Who reports: the robot itself reports through its maker's or operator's system. */
export const INCIDENT_SOURCES = ['operator', 'service_provider', 'manufacturer', 'robot'] as const;

/** A component involved in an incident: its part number and its serial and/or lot. */
export interface IncidentComponent {
  kind?: ComponentKind;
  partNumber: string;
  serial?: string;
  lot?: string;
}

/** A file about the incident, by hash: the file itself stays with the reporter, never uploaded to the registry. */
export interface IncidentAttachment {
  /** SHA-256 of the file, 64 lower-case hex characters. */
  sha256: string;
  mediaType: string;
  name?: string;
  size?: number;
}

export interface IncidentPayload {
  category: (typeof INCIDENT_CATEGORIES)[number];
  severity: (typeof INCIDENT_SEVERITIES)[number];
  description?: string;
  injuries?: number;
  /** Where it happened; the robot's site region when absent. */
  region?: string;
  components?: IncidentComponent[];
  attachments?: IncidentAttachment[];
  source?: (typeof INCIDENT_SOURCES)[number];
}

export interface SuspendedPayload {
  orderNumber: string;
  reason: string;
}

export interface RecycledPayload {
  /** What happened to each component: recovered for reuse, material recycling, disposal. */
  components: {
    partNumber: string;
    serial?: string;
    lot?: string;
    outcome: 'reused' | 'recycled' | 'disposed';
  }[];
  materialsKg?: Record<string, number>;
}

export interface CrossBorderPayload {
  country: string;
  /** exported: the importer abroad (free text); imported: the importing organisation here is the reporter. */
  counterparty?: string;
}

export interface CorrectedPayload {
  /** The event declared erroneous. */
  correctsEventId: string;
  reason: 'incorrect_data' | 'did_not_occur' | 'wrong_robot' | 'other';
  explanation?: string;
}

/** Payloads that carry nothing beyond the event's own fields. */
export type NotePayload = { note?: string };

export interface PayloadByType {
  manufactured: ManufacturedPayload;
  certified: CertifiedPayload;
  shipped: TransferPayload;
  received: NotePayload;
  sold: TransferPayload;
  activated: ActivatedPayload;
  serviced: ServicedPayload;
  incident_reported: IncidentPayload;
  ownership_transferred: TransferPayload;
  suspended: SuspendedPayload;
  reinstated: { orderNumber: string; note?: string };
  decommissioned: NotePayload;
  recycled: RecycledPayload;
  exported: CrossBorderPayload;
  imported: CrossBorderPayload;
  reported_lost: NotePayload;
  reported_stolen: NotePayload;
  recovered: NotePayload;
  corrected: CorrectedPayload;
}

/** An event as reported, before the registry accepts it. */
export type ReportedEvent = {
  [T in EventType]: {
    /** The client's own id (idempotency); the registry makes one when absent. */
    eventId: string;
    type: T;
    /** Canonical robot ID. */
    robotId: string;
    /** When it happened (ISO 8601 with offset). */
    eventTime: string;
    payload: PayloadByType[T];
  };
}[EventType];

/** Who reports: an organisation with its roles. */
export interface Reporter {
  orgId: string;
  keyId: string;
  roles: ReadonlySet<string>;
}
