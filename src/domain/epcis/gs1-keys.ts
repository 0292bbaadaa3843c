import { invalid } from '../errors.js';
/**
 * GS1 keys as EPCIS writes them: EPC pure-identity URNs (`urn:epc:id:sgtin:0614141.112345.400`), EPC class URNs
 * (`urn:epc:class:lgtin:…`), EPC ID pattern URNs (`urn:epc:idpat:sgtin:….*`) and GS1 Digital Link URIs on any host
 * (`https://brand.example/gtin/614141123452/ser/400`), all turned into the one canonical Digital Link form
 * (`https://id.gs1.org/01/80614141123458/21/400`): CBV 2.0 writes every EPC that way before hashing an event
 * (event-hash.ts), and the registry stores robots' GS1 aliases that way, so that both spellings of a key meet.
 *
 * Written from the GS1 EPC Tag Data Standard (company prefix length from the URN's partition, the GS1 check digit,
 * the URN's escapes) and the GS1 Digital Link standard (primary keys and qualifiers by AI or short name, the GTIN
 * padded to 14 digits, the CPV dropped, a lot dropped when a serial names the instance, the query string dropped).
 * Where the standards leave a choice the published event-hash reference implementation made, we make the same one.
 */

/** The canonical Digital Link host. */
export const GS1_RESOLVER = 'https://id.gs1.org';

/** GS1 standard check digit (GenSpecs §7.9.1) of the digits before it, for any length (GTIN, GLN, SSCC, …). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // weight 3 for the digit nearest the check digit, then alternately 1 and 3
    sum += Number(digits[digits.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of `key` is the check digit of the others. */
export const hasValidCheckDigit = (key: string) =>
  /^\d{2,}$/.test(key) && gs1CheckDigit(key.slice(0, -1)) === Number(key.at(-1));

// A character of a serial, lot or other alphanumeric field in an EPC URN: GS1's AI encodable character set 82,
// with the characters a URN cannot carry (" % & / < > ?) written as %-escapes (TDS, "GS1 AI encodable character
// set 82" table). Digital Link carries the same characters and escapes, plus ! ( ) * + , : escaped (GS1 Digital
// Link, table of characters to percent-encode).
const URN_CHAR =
  "(?:%2[125-9A-Fa-f]|%3[0-9A-Fa-f]|%4[1-9A-Fa-f]|%5[0-9AaFf]|%6[1-9A-Fa-f]|%7[0-9Aa]|[!')(*+,.0-9:;=A-Za-z_-])";
const urnText = (min: number, max: number) => `(${URN_CHAR}{${min},${max}})`;
// A component reference of a CPI: digits, capitals, '-' and the escaped '#' and '/'.
const CPI_CHAR = '(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])';

/** An EPC URN's alphanumeric field written as Digital Link writes it. */
const dlEscape = (text: string) =>
  text
    .replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase())
    .replace(/[!()*+,:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** GTIN-14 (with its check digit) from an EPC URN's company prefix and item reference (indicator digit first). */
const gtinOf = (companyPrefix: string, itemRef: string) => {
  const raw = itemRef.slice(0, 1) + companyPrefix + itemRef.slice(1);
  return raw + gs1CheckDigit(raw);
};
const withCheckDigit = (raw: string) => raw + gs1CheckDigit(raw);

interface UrnScheme {
  /** The body after `urn:epc:<kind>:<scheme>:`, as a regular expression whose first group is the company prefix. */
  body: RegExp;
  /** How many digits the company prefix and the numeric reference after it make together (the partition). */
  digits?: number;
  toPath: (m: RegExpExecArray) => string;
}

const GCP = '(\\d{6,12})';
const scheme = (
  body: string,
  digits: number | undefined,
  toPath: (m: RegExpExecArray) => string,
): UrnScheme => ({
  body: new RegExp(`^${body}$`),
  ...(digits === undefined ? {} : { digits }),
  toPath,
});

/** Alphanumeric references whose length limit counts the company prefix too (GIAI, GINC: 30 characters). */
const withinThirty = (m: RegExpExecArray) => m[1]!.length + decodedLength(m[2]!) <= 30;
const decodedLength = (text: string) => text.replace(/%[0-9A-Fa-f]{2}/g, '_').length;

const URN_SCHEMES: Record<string, Record<string, UrnScheme>> = {
  id: {
    sgtin: scheme(
      `${GCP}\\.(\\d+)\\.${urnText(1, 20)}`,
      13,
      (m) => `/01/${gtinOf(m[1]!, m[2]!)}/21/${dlEscape(m[3]!)}`,
    ),
    sscc: scheme(`${GCP}\\.(\\d+)`, 17, (m) => `/00/${gtinOf(m[1]!, m[2]!)}`),
    sgln: scheme(`${GCP}\\.(\\d*)\\.${urnText(1, 20)}`, 12, (m) =>
      m[3] === '0'
        ? `/414/${withCheckDigit(m[1]! + m[2]!)}`
        : `/414/${withCheckDigit(m[1]! + m[2]!)}/254/${dlEscape(m[3]!)}`,
    ),
    grai: scheme(
      `${GCP}\\.(\\d*)\\.${urnText(1, 16)}`,
      12,
      (m) => `/8003/${withCheckDigit(`0${m[1]!}${m[2]!}`)}${dlEscape(m[3]!)}`,
    ),
    giai: scheme(`${GCP}\\.${urnText(1, 24)}`, undefined, (m) => `/8004/${m[1]!}${dlEscape(m[2]!)}`),
    gsrn: scheme(`${GCP}\\.(\\d+)`, 17, (m) => `/8018/${withCheckDigit(m[1]! + m[2]!)}`),
    gsrnp: scheme(`${GCP}\\.(\\d+)`, 17, (m) => `/8017/${withCheckDigit(m[1]! + m[2]!)}`),
    gdti: scheme(
      `${GCP}\\.(\\d*)\\.${urnText(0, 17)}`,
      12,
      (m) => `/253/${withCheckDigit(m[1]! + m[2]!)}${dlEscape(m[3]!)}`,
    ),
    cpi: scheme(
      `${GCP}\\.(${CPI_CHAR}{1,24})\\.(\\d{1,12})`,
      undefined,
      (m) => `/8010/${dlEscape(m[1]! + m[2]!)}/8011/${m[3]!}`,
    ),
    sgcn: scheme(`${GCP}\\.(\\d*)\\.(\\d{1,12})`, 12, (m) => `/255/${withCheckDigit(m[1]! + m[2]!)}${m[3]!}`),
    ginc: scheme(`${GCP}\\.${urnText(1, 24)}`, undefined, (m) => `/401/${m[1]!}${dlEscape(m[2]!)}`),
    gsin: scheme(`${GCP}\\.(\\d+)`, 16, (m) => `/402/${withCheckDigit(m[1]! + m[2]!)}`),
    itip: scheme(
      `${GCP}\\.(\\d+)\\.(\\d{2})\\.(\\d{2})\\.${urnText(1, 20)}`,
      13,
      (m) => `/8006/${gtinOf(m[1]!, m[2]!)}${m[3]!}${m[4]!}/21/${dlEscape(m[5]!)}`,
    ),
    upui: scheme(
      `${GCP}\\.(\\d+)\\.${urnText(1, 28)}`,
      13,
      (m) => `/01/${gtinOf(m[1]!, m[2]!)}/235/${dlEscape(m[3]!)}`,
    ),
    pgln: scheme(`${GCP}\\.(\\d*)`, 12, (m) => `/417/${withCheckDigit(m[1]! + m[2]!)}`),
  },
  class: {
    lgtin: scheme(
      `${GCP}\\.(\\d+)\\.${urnText(1, 20)}`,
      13,
      (m) => `/01/${gtinOf(m[1]!, m[2]!)}/10/${dlEscape(m[3]!)}`,
    ),
  },
  idpat: {
    sgtin: scheme(`${GCP}\\.(\\d+)\\.\\*`, 13, (m) => `/01/${gtinOf(m[1]!, m[2]!)}`),
    grai: scheme(`${GCP}\\.(\\d*)\\.\\*`, 12, (m) => `/8003/${withCheckDigit(`0${m[1]!}${m[2]!}`)}`),
    gdti: scheme(`${GCP}\\.(\\d*)\\.\\*`, 12, (m) => `/253/${withCheckDigit(m[1]! + m[2]!)}`),
    sgcn: scheme(`${GCP}\\.(\\d*)\\.\\*`, 12, (m) => `/255/${withCheckDigit(m[1]! + m[2]!)}`),
    cpi: scheme(`${GCP}\\.(${CPI_CHAR}{1,24})\\.\\*`, undefined, (m) => `/8010/${dlEscape(m[1]! + m[2]!)}`),
    itip: scheme(
      `${GCP}\\.(\\d+)\\.(\\d{2})\\.(\\d{2})\\.\\*`,
      13,
      (m) => `/8006/${gtinOf(m[1]!, m[2]!)}${m[3]!}${m[4]!}`,
    ),
    upui: scheme(`${GCP}\\.(\\d+)\\.\\*`, 13, (m) => `/01/${gtinOf(m[1]!, m[2]!)}`),
  },
};

const EPC_URN = /^urn:epc:(id|class|idpat):([a-z]+):(.*)$/;

/** The canonical Digital Link URI of an EPC URN (pure identity, class or ID pattern); undefined if it is none. */
export function digitalLinkOfEpcUrn(urn: string): string | undefined {
  const parts = EPC_URN.exec(urn);
  if (!parts) return undefined;
  const found = URN_SCHEMES[parts[1]!]?.[parts[2]!];
  const m = found?.body.exec(parts[3]!);
  if (!found || !m) return undefined;
  if (found.digits !== undefined && m[1]!.length + m[2]!.length !== found.digits) return undefined;
  if ((parts[2] === 'giai' || parts[2] === 'ginc') && !withinThirty(m)) return undefined;
  return GS1_RESOLVER + found.toPath(m);
}

// Digital Link: primary keys and key qualifiers by AI, and the short names GS1 Digital Link 1.x allowed.
const SHORT_NAMES: Record<string, string> = {
  gtin: '01',
  itip: '8006',
  cpid: '8010',
  gln: '414',
  party: '417',
  gsrnp: '8017',
  gsrn: '8018',
  gcn: '255',
  sscc: '00',
  gdti: '253',
  ginc: '401',
  gsin: '402',
  grai: '8003',
  giai: '8004',
  cpv: '22',
  lot: '10',
  ser: '21',
};
const PRIMARY_KEYS = new Set([
  '01',
  '8006',
  '8010',
  '414',
  '417',
  '8017',
  '8018',
  '255',
  '00',
  '253',
  '401',
  '402',
  '8003',
  '8004',
]);
// A character of a Digital Link path value: the unreserved ones GS1 allows unescaped, or a %-escape.
const DL_TEXT = '(?:%[0-9A-F]{2}|["\'\\-.0-9;-?A-Z_a-z])';
const dlTexts = new Map<string, RegExp>();
const dlText = (min: number, max: number) => {
  const key = `${min},${max}`;
  let pattern = dlTexts.get(key);
  if (!pattern) dlTexts.set(key, (pattern = new RegExp(`^${DL_TEXT}{${min},${max}}$`)));
  return pattern;
};

/** The primary key's value, then the qualifiers each key allows in canonical form, with their values' syntax. */
const CANONICAL: Record<string, { key: RegExp; qualifiers: Record<string, RegExp> }> = {
  '00': { key: /^\d{18}$/, qualifiers: {} },
  '01': { key: /^\d{14}$/, qualifiers: { '21': dlText(1, 20), '10': dlText(1, 20), '235': dlText(1, 28) } },
  '253': { key: new RegExp(`^\\d{13}${DL_TEXT}{0,17}$`), qualifiers: {} },
  '255': { key: /^\d{13}\d{0,12}$/, qualifiers: {} },
  '401': { key: dlText(1, 30), qualifiers: {} },
  '402': { key: /^\d{17}$/, qualifiers: {} },
  '414': { key: /^\d{13}$/, qualifiers: { '254': dlText(1, 20) } },
  '417': { key: /^\d{13}$/, qualifiers: {} },
  '8003': { key: new RegExp(`^\\d{14}${DL_TEXT}{0,16}$`), qualifiers: {} },
  '8004': { key: dlText(1, 30), qualifiers: {} },
  '8006': { key: /^\d{18}$/, qualifiers: { '21': dlText(1, 20), '10': dlText(1, 20) } },
  '8010': { key: /^(?:%23|%2F|[#\-/0-9A-Z]){1,30}$/, qualifiers: { '8011': /^\d{1,12}$/ } },
  '8017': { key: /^\d{18}$/, qualifiers: {} },
  '8018': { key: /^\d{18}$/, qualifiers: {} },
};
/** Qualifiers in the order GS1 Digital Link writes them. */
const QUALIFIER_ORDER = ['22', '10', '21', '235', '254', '8011'];

/**
 * The canonical form of a GS1 Digital Link URI on any host (`http` too, a path before the key, short names, a
 * query string): `https://id.gs1.org/<key AI>/<key>[/<qualifier AI>/<value>]`, with only the finest level of
 * identification (a serial, else a lot); undefined when the URI is not a Digital Link URI of a GS1 key. The check
 * digit is not checked here: the hash normalises what it is given (robotGs1Key checks it).
 */
export function canonicalDigitalLink(uri: string): string | undefined {
  const web = /^https?:\/\/[^/?#]*(\/[^?#]*)(?:\?[^#]*)?$/.exec(uri);
  if (!web) return undefined;
  const segments = web[1]!.split('/').slice(1);
  if (segments.at(-1) === '') segments.pop();
  const ai = (segment: string) => SHORT_NAMES[segment] ?? segment;
  const start = segments.findIndex(
    (segment, i) => PRIMARY_KEYS.has(ai(segment)) && /^\d{4}/.test(segments[i + 1] ?? ''),
  );
  if (start < 0 || (segments.length - start) % 2 !== 0) return undefined;
  const keyAi = ai(segments[start]!);
  let key = segments[start + 1]!;
  if (keyAi === '01' && /^(\d{8}|\d{12}|\d{13})$/.test(key)) key = key.padStart(14, '0');
  const qualifiers = new Map<string, string>();
  let lastOrder = -1;
  for (let i = start + 2; i < segments.length; i += 2) {
    const qualifier = ai(segments[i]!);
    const order = QUALIFIER_ORDER.indexOf(qualifier);
    if (order <= lastOrder || qualifiers.has(qualifier)) return undefined;
    lastOrder = order;
    qualifiers.set(qualifier, segments[i + 1]!);
  }
  const rules = CANONICAL[keyAi]!;
  if (keyAi === '01' || keyAi === '8006') {
    if (qualifiers.has('22') && !dlText(1, 20).test(qualifiers.get('22')!)) return undefined;
    qualifiers.delete('22'); // the consumer product variant does not identify a different thing
    if (qualifiers.has('21')) qualifiers.delete('10'); // the serial names the instance; the lot adds nothing
  }
  if (qualifiers.size > 1 || !rules.key.test(key)) return undefined;
  let path = `/${keyAi}/${key}`;
  for (const [qualifier, value] of qualifiers) {
    if (!rules.qualifiers[qualifier]?.test(value)) return undefined;
    path += `/${qualifier}/${value}`;
  }
  return GS1_RESOLVER + path;
}

/** Any URI naming a GS1 key (EPC URN of any kind, or Digital Link) in canonical Digital Link form, else undefined. */
export const canonicalGs1Uri = (uri: string): string | undefined =>
  uri.startsWith('urn:epc:') ? digitalLinkOfEpcUrn(uri) : canonicalDigitalLink(uri);

/** A Digital Link URI's key and qualifiers, read back from canonical form. */
function readCanonical(dl: string): { ai: string; key: string; qualifier?: [string, string] } | undefined {
  const m = /^https:\/\/id\.gs1\.org\/(\d+)\/([^/]+)(?:\/(\d+)\/([^/]+))?$/.exec(dl);
  if (!m) return undefined;
  return { ai: m[1]!, key: m[2]!, ...(m[3] ? { qualifier: [m[3], m[4]!] as [string, string] } : {}) };
}

/** A Digital Link value written as an EPC URN field: the URN's own escapes only (! ( ) * + , : are plain there). */
const urnEscape = (text: string) =>
  text.replace(/%(21|28|29|2A|2B|2C|3A)/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/**
 * The EPC URN of a Digital Link URI of a GTIN with serial (SGTIN) or lot (LGTIN), an SSCC, a GLN (SGLN), a GRAI or a
 * GIAI. Digital Link does not say where the GS1 company prefix ends, so the caller says how long it is (6 to 12
 * digits; from its GS1 member organisation). Undefined when the URI is none of those or the length cannot fit.
 */
export function epcUrnOfDigitalLink(uri: string, companyPrefixLength: number): string | undefined {
  const canonical = canonicalDigitalLink(uri);
  const read = canonical === undefined ? undefined : readCanonical(canonical);
  const n = companyPrefixLength;
  if (!read || !Number.isInteger(n) || n < 6 || n > 12) return undefined;
  const { ai, key, qualifier } = read;
  const [qAi, qValue] = qualifier ?? [undefined, undefined];
  const gtinParts = () => `${key.slice(1, 1 + n)}.${key[0]!}${key.slice(1 + n, 13)}`;
  if (ai === '01' && qAi === '21') return `urn:epc:id:sgtin:${gtinParts()}.${urnEscape(qValue!)}`;
  if (ai === '01' && qAi === '10') return `urn:epc:class:lgtin:${gtinParts()}.${urnEscape(qValue!)}`;
  if (ai === '01' && qAi === undefined) return `urn:epc:idpat:sgtin:${gtinParts()}.*`;
  if (ai === '00') return `urn:epc:id:sscc:${key.slice(1, 1 + n)}.${key[0]!}${key.slice(1 + n, 17)}`;
  if (ai === '414') {
    return `urn:epc:id:sgln:${key.slice(0, n)}.${key.slice(n, 12)}.${qAi === '254' ? urnEscape(qValue!) : '0'}`;
  }
  if (ai === '8003' && key.length > 14) {
    return `urn:epc:id:grai:${key.slice(1, 1 + n)}.${key.slice(1 + n, 13)}.${urnEscape(key.slice(14))}`;
  }
  if (ai === '8004' && /^\d+$/.test(key.slice(0, n)) && key.length > n) {
    return `urn:epc:id:giai:${key.slice(0, n)}.${urnEscape(key.slice(n))}`;
  }
  return undefined;
}

/**
 * A robot's GS1 key as a manufacturer registers it: an SGTIN, as an EPC URN (`urn:epc:id:sgtin:…`) or a GS1 Digital
 * Link URI of a GTIN with a serial on any host; stored in canonical Digital Link form, so that both spellings of
 * the key find the robot. Throws `invalid('invalid-gs1-key')` naming `field` and what is wrong.
 */
export function robotGs1Key(text: string, field = '/gs1Key'): string {
  const refuse = (message: string): never => {
    throw invalid('invalid-gs1-key', `${text} is not a robot's GS1 key: ${message}`, [{ field, message }]);
  };
  const uri = text.trim();
  const canonical = canonicalGs1Uri(uri);
  if (canonical === undefined) {
    refuse(
      uri.startsWith('urn:epc:')
        ? 'not an EPC URN this registry reads (urn:epc:id:sgtin:<company prefix>.<indicator and item reference>.<serial>)'
        : 'neither an SGTIN EPC URN nor a GS1 Digital Link URI of a GTIN with a serial (…/01/<GTIN>/21/<serial>)',
    );
  }
  const read = readCanonical(canonical!);
  if (read?.ai !== '01' || read.qualifier?.[0] !== '21') {
    refuse(
      'a robot is one serialised item: its key is a GTIN with a serial number (SGTIN, AI 01 with AI 21)',
    );
  }
  if (!hasValidCheckDigit(read!.key)) {
    refuse(
      `the GTIN's check digit is wrong (${read!.key.slice(0, 13)} ends in ${gs1CheckDigit(read!.key.slice(0, 13))})`,
    );
  }
  return canonical!;
}
