/**
 * The GS1 Core Business Vocabulary (CBV 2.0) terms EPCIS events use, and the one form the registry reads them in.
 * A standard term may be written three ways: bare as EPCIS 2.0 JSON-LD writes it (`shipping`), as its web URI
 * (`https://ref.gs1.org/cbv/BizStep-shipping`, or the CURIE `cbv:BizStep-shipping` the EPCIS context defines) or as
 * its EPCIS 1.x URN (`urn:epcglobal:cbv:bizstep:shipping`); all three read as the bare name. Any other URI is a
 * user-defined term, which EPCIS allows, and stays as written.
 */

export const BIZ_STEPS = [
  'accepting',
  'arriving',
  'assembling',
  'collecting',
  'commissioning',
  'consigning',
  'creating_class_instance',
  'cycle_counting',
  'decommissioning',
  'departing',
  'destroying',
  'disassembling',
  'dispensing',
  'encoding',
  'entering_exiting',
  'holding',
  'inspecting',
  'installing',
  'killing',
  'loading',
  'other',
  'packing',
  'picking',
  'receiving',
  'removing',
  'repackaging',
  'repairing',
  'replacing',
  'reserving',
  'retail_selling',
  'sampling',
  'sensor_reporting',
  'shipping',
  'staging_outbound',
  'stock_taking',
  'stocking',
  'storing',
  'transporting',
  'unloading',
  'unpacking',
  'void_shipping',
] as const;

export const DISPOSITIONS = [
  'active',
  'available',
  'completeness_inferred',
  'completeness_verified',
  'conformant',
  'container_closed',
  'container_open',
  'damaged',
  'destroyed',
  'dispensed',
  'disposed',
  'encoded',
  'expired',
  'in_progress',
  'in_transit',
  'inactive',
  'mismatch_class',
  'mismatch_instance',
  'mismatch_quantity',
  'needs_replacement',
  'no_pedigree_match',
  'non_conformant',
  'non_sellable_other',
  'partially_dispensed',
  'recalled',
  'reserved',
  'retail_sold',
  'returned',
  'sellable_accessible',
  'sellable_not_accessible',
  'stolen',
  'unavailable',
  'unknown',
] as const;

export const BIZ_TRANSACTION_TYPES = [
  'bol',
  'cert',
  'desadv',
  'inv',
  'pedigree',
  'po',
  'poc',
  'prodorder',
  'recadv',
  'rma',
  'testprd',
  'testres',
  'upevt',
] as const;

export const SOURCE_DESTINATION_TYPES = ['owning_party', 'possessing_party', 'location'] as const;

export const ERROR_REASONS = ['did_not_occur', 'incorrect_data'] as const;

/** GS1 Web Vocabulary sensor alert types (`gs1:ALARM_CONDITION`). */
export const SENSOR_ALERT_TYPES = ['ALARM_CONDITION', 'ERROR_CONDITION'] as const;

/** GS1 Web Vocabulary coordinate components of a sensor report (`component`). */
export const SENSOR_COMPONENTS = [
  'x',
  'y',
  'z',
  'axial_distance',
  'azimuth',
  'height',
  'spherical_radius',
  'polar_angle',
  'elevation_angle',
  'easting',
  'northing',
  'latitude',
  'longitude',
  'altitude',
] as const;

export type Vocabulary = 'bizStep' | 'disposition' | 'bizTransactionType' | 'sourceDestType' | 'errorReason';

interface VocabularyForms {
  terms: readonly string[];
  /** `https://ref.gs1.org/cbv/<webPrefix>-<term>` */
  webPrefix: string;
  /** `urn:epcglobal:cbv:<urnPart>:<term>` */
  urnPart: string;
}

const FORMS: Readonly<Record<Vocabulary, VocabularyForms>> = {
  bizStep: { terms: BIZ_STEPS, webPrefix: 'BizStep', urnPart: 'bizstep' },
  disposition: { terms: DISPOSITIONS, webPrefix: 'Disp', urnPart: 'disp' },
  bizTransactionType: { terms: BIZ_TRANSACTION_TYPES, webPrefix: 'BTT', urnPart: 'btt' },
  sourceDestType: { terms: SOURCE_DESTINATION_TYPES, webPrefix: 'SDT', urnPart: 'sdt' },
  errorReason: { terms: ERROR_REASONS, webPrefix: 'ER', urnPart: 'er' },
};

const CBV_WEB = 'https://ref.gs1.org/cbv/';

/** The bare CBV term `value` names in any of its forms; undefined when it names none (a user-defined URI, a typo). */
export function cbvTerm(vocabulary: Vocabulary, value: string): string | undefined {
  // Each event names the same few terms: read once per vocabulary and value (forgotten all together when many).
  const known = KNOWN[vocabulary];
  let term = known.get(value);
  if (term === undefined) {
    if (known.size >= 1024) known.clear();
    term = readTerm(vocabulary, value) ?? null;
    known.set(value, term);
  }
  return term ?? undefined;
}

const KNOWN = Object.fromEntries(
  Object.keys(FORMS).map((vocabulary) => [vocabulary, new Map<string, string | null>()]),
) as Record<Vocabulary, Map<string, string | null>>;

function readTerm(vocabulary: Vocabulary, value: string): string | undefined {
  const { terms, webPrefix, urnPart } = FORMS[vocabulary];
  const candidates = [
    value,
    stripPrefix(value, `${CBV_WEB}${webPrefix}-`),
    stripPrefix(value, `cbv:${webPrefix}-`),
    stripPrefix(value, `urn:epcglobal:cbv:${urnPart}:`),
  ];
  return candidates.find((c): c is string => c !== undefined && terms.includes(c));
}

/** The form the registry reads a vocabulary value in: the bare CBV term, or the user-defined URI as written. */
export const normaliseCbv = (vocabulary: Vocabulary, value: string): string =>
  cbvTerm(vocabulary, value) ?? value;

/** The term's web URI, as the CBV 2.0 defines it (what JSON-LD expands a bare term to). */
export const cbvWebUri = (vocabulary: Vocabulary, term: string): string =>
  `${CBV_WEB}${FORMS[vocabulary].webPrefix}-${term}`;

function stripPrefix(value: string, prefix: string): string | undefined {
  return value.startsWith(prefix) ? value.slice(prefix.length) : undefined;
}
