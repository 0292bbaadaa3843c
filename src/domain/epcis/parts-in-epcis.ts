/**
 * The parts an AssociationEvent or AggregationEvent fits to or removes from a robot (its parentID), read as the
 * registry's components. Where they are described in `robotid:components` (what export writes: kind, position,
 * manufacturer, part number, serial or lot, as reported) that list is the parts. Otherwise each part is read from
 * its identifier: in childEPCs by serial (`urn:robotid:part:<partNumber>:<serial>` or a GS1 SGTIN in any form, its
 * GTIN the part number), in childQuantityList by lot (`urn:robotid:lot:<partNumber>:<lot>`, a GS1 LGTIN) or part
 * number alone (`urn:robotid:part-class:<partNumber>`), `quantity` of them. EPCIS has no field for a part's kind
 * or manufacturer, which the registry records of every part (and of a recycled part its outcome): parts named only
 * by their identifiers are refused with what to add, after their identifiers are checked.
 */
import type { NotMapped } from './from-epcis.js';
import { canonicalGs1Uri } from './gs1-keys.js';
import { partOf, type PartRef } from './uris.js';

export type Part = Record<string, unknown> & PartRef;
export type PartsReading = { ok: true; parts: Part[] } | { ok: false; reason: NotMapped };

/** At most this many parts in one event (the payload schemas' limit). */
const MAX_PARTS = 500;

type QuantityElement = { epcClass?: unknown; quantity?: unknown; uom?: unknown };

/** The parts `event` names; `components`: the name its `robotid:components` has in this document. */
export function partsOfEvent(event: Record<string, unknown>, components: string): PartsReading {
  const described = event[components];
  if (described !== undefined) return describedParts(described, `/${components}`);
  const parts: Part[] = [];
  const no = (field: string, message: string): PartsReading => ({
    ok: false,
    reason: { code: 'epcis-part-unidentified', message, field },
  });
  for (const [i, epc] of ((event.childEPCs as unknown[] | undefined) ?? []).entries()) {
    const part = typeof epc === 'string' ? partByIdentifier(epc) : undefined;
    if (!part || part.serial === undefined)
      return no(
        `/childEPCs/${i}`,
        `${String(epc)} names no part by serial: childEPCs are urn:robotid:part:<partNumber>:<serial> or a GS1 ` +
          'SGTIN; describe other parts in robotid:components',
      );
    parts.push(part);
  }
  for (const [i, item] of ((event.childQuantityList as QuantityElement[] | undefined) ?? []).entries()) {
    const part = typeof item.epcClass === 'string' ? partByIdentifier(item.epcClass) : undefined;
    if (!part || part.serial !== undefined)
      return no(
        `/childQuantityList/${i}/epcClass`,
        `${String(item.epcClass)} names no class of parts: urn:robotid:lot:<partNumber>:<lot>, ` +
          'urn:robotid:part-class:<partNumber> or a GS1 LGTIN',
      );
    const { quantity } = item;
    if (!Number.isInteger(quantity) || (quantity as number) < 1 || item.uom !== undefined)
      return no(
        `/childQuantityList/${i}/quantity`,
        'the number of parts of this class, a whole number of at least 1 (no uom): the registry counts parts',
      );
    if (parts.length + (quantity as number) > MAX_PARTS)
      return no(`/childQuantityList/${i}/quantity`, `at most ${MAX_PARTS} parts in one event`);
    for (let n = 0; n < (quantity as number); n++) parts.push({ ...part });
  }
  if (parts.length === 0)
    return no('/childEPCs', 'the event names no part: childEPCs, childQuantityList or robotid:components');
  const named = parts.map((p) => [p.partNumber, p.serial ?? p.lot].filter(Boolean).join(' ')).join(', ');
  return {
    ok: false,
    reason: {
      code: 'epcis-missing-fact',
      message:
        `the registry records each part's kind and manufacturer (and a recycled part's outcome), which EPCIS has ` +
        `no field for: describe ${named} in "${components}" as [{kind, manufacturer, partNumber, serial | lot, ` +
        'position?}] (docs/epcis.md)',
      field: `/${components}`,
    },
  };
}

/** `robotid:components` as written: a list of parts, each with its part number. */
function describedParts(described: unknown, field: string): PartsReading {
  const no = (at: string, message: string): PartsReading => ({
    ok: false,
    reason: { code: 'epcis-part-unidentified', message, field: at },
  });
  if (!Array.isArray(described))
    return no(field, 'a list of parts, each {kind, manufacturer, partNumber, …}');
  for (const [i, part] of described.entries()) {
    if (typeof part !== 'object' || part === null || Array.isArray(part))
      return no(`${field}/${i}`, 'a part: {kind, manufacturer, partNumber, serial | lot, position?}');
    if (typeof (part as Part).partNumber !== 'string')
      return no(`${field}/${i}/partNumber`, 'every part needs its part number');
  }
  return { ok: true, parts: described as Part[] };
}

/** A part named by the registry's URNs or a GS1 key with a serial (SGTIN) or lot (LGTIN); the GTIN is its number. */
function partByIdentifier(uri: string): Part | undefined {
  const own = partOf(uri);
  if (own) return { ...own };
  const gs1 = /^https:\/\/id\.gs1\.org\/01\/(\d{14})(?:\/(21|10)\/([^/]+))?$/.exec(
    canonicalGs1Uri(uri) ?? '',
  );
  if (!gs1) return undefined;
  const [, gtin, qualifier, value] = gs1;
  const decoded = value === undefined ? undefined : decodeURIComponent(value);
  if (qualifier === '21') return { partNumber: gtin!, serial: decoded! };
  if (qualifier === '10') return { partNumber: gtin!, lot: decoded! };
  return { partNumber: gtin! };
}
