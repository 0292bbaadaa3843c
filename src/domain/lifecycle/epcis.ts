/**
 * How each lifecycle event maps onto GS1 EPCIS 2.0 with the Core Business Vocabulary (CBV 2.0), so that the
 * registry can publish or accept events in that form. Values are the bare CBV names as EPCIS 2.0 JSON-LD writes
 * them ("shipping" = https://ref.gs1.org/cbv/BizStep-shipping); where the CBV has no fitting term the registry
 * uses its own URN (`urn:robotid:…`), as EPCIS allows.
 */
import type { EventType } from './events.js';

export type EpcisEventType = 'ObjectEvent' | 'AggregationEvent' | 'TransformationEvent';

export interface EpcisMapping {
  /** null: not an event of its own (a correction is an errorDeclaration on the corrected event). */
  eventType: EpcisEventType | null;
  /** ObjectEvent and AggregationEvent carry an action; a TransformationEvent has none. */
  action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  bizStep: string | null;
  /** The robot's disposition after the event; null: the event does not change it. */
  disposition: string | null;
  /** exact: the CBV term means this; close: the nearest CBV term; none: no CBV term, a registry URN or nothing. */
  fit: 'exact' | 'close' | 'none';
  note?: string;
}

export const EPCIS_MAPPING: Readonly<Record<EventType, EpcisMapping>> = {
  manufactured: {
    eventType: 'ObjectEvent',
    action: 'ADD',
    bizStep: 'commissioning',
    disposition: 'active',
    fit: 'exact',
    note: 'the fitted components could also be published as an AggregationEvent (ADD, bizStep assembling) with the robot as parent',
  },
  certified: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'inspecting',
    disposition: 'conformant',
    fit: 'exact',
    note: 'disposition non_conformant when the result is fail; the certificate goes in bizTransactionList or an extension',
  },
  shipped: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    fit: 'exact',
  },
  received: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    fit: 'exact',
  },
  sold: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'retail_selling',
    disposition: 'retail_sold',
    fit: 'close',
    note: 'retail_selling is a sale to the end user; a sale to an operator is the same act',
  },
  activated: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'installing',
    disposition: 'active',
    fit: 'close',
    note: 'CBV installing is putting an object into a composite one; there is no step for putting a product into service',
  },
  serviced: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'repairing',
    disposition: 'active',
    fit: 'close',
    note: 'kind inspection maps to bizStep inspecting; replaced components to an AggregationEvent (DELETE the old, ADD the new; bizStep replacing)',
  },
  incident_reported: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'urn:robotid:bizstep:incident_reporting',
    disposition: null,
    fit: 'none',
    note: 'no CBV step for an incident; disposition damaged may be added when the robot itself was damaged',
  },
  ownership_transferred: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'urn:robotid:bizstep:transferring_ownership',
    disposition: null,
    fit: 'none',
    note: 'EPCIS shows a change of owner through sourceList / destinationList of type owning_party',
  },
  suspended: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'holding',
    disposition: 'recalled',
    fit: 'close',
    note: 'a stop-use order is a recall of one robot; the order number goes in bizTransactionList or an extension',
  },
  reinstated: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'urn:robotid:bizstep:reinstating',
    disposition: 'active',
    fit: 'none',
  },
  decommissioned: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'decommissioning',
    disposition: 'inactive',
    fit: 'exact',
    note: 'OBSERVE, not DELETE: the robot still has events (shipment to the recycler, recycling) after it',
  },
  recycled: {
    eventType: 'ObjectEvent',
    action: 'DELETE',
    bizStep: 'disassembling',
    disposition: 'destroyed',
    fit: 'close',
    note: 'CBV has no "dismantling" or "recycling"; the per-component outcomes could be a TransformationEvent (input the robot, outputs the reused components)',
  },
  exported: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'shipping',
    disposition: 'in_transit',
    fit: 'close',
    note: 'CBV has no export step; the destination country goes in destinationList',
  },
  imported: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'receiving',
    disposition: 'in_progress',
    fit: 'close',
    note: 'CBV has no import step; the origin goes in sourceList',
  },
  reported_lost: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'urn:robotid:bizstep:reporting_loss',
    disposition: 'unknown',
    fit: 'none',
    note: 'CBV has no loss step; disposition unknown is the nearest',
  },
  reported_stolen: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'urn:robotid:bizstep:reporting_theft',
    disposition: 'stolen',
    fit: 'close',
    note: 'the disposition matches; CBV has no step for reporting a theft',
  },
  recovered: {
    eventType: 'ObjectEvent',
    action: 'OBSERVE',
    bizStep: 'urn:robotid:bizstep:recovering',
    disposition: 'active',
    fit: 'none',
  },
  corrected: {
    eventType: null,
    action: null,
    bizStep: null,
    disposition: null,
    fit: 'close',
    note: 'an errorDeclaration on the corrected event (reason did_not_occur or incorrect_data; wrong_robot and other have no CBV reason), with correctiveEventIDs',
  },
};
