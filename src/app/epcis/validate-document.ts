/**
 * EPCIS 2.0 documents and events checked against the registry's schema of them (domain/epcis/document-schema.ts),
 * every fault named by a JSON pointer into what was sent, as every other route names its faults.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Static } from 'typebox';
import { describeIssue, invalid, type FieldIssue } from '../../domain/errors.js';
import {
  EPCIS_PATTERN_MEANINGS,
  EVENT_SCHEMAS,
  EpcisDocumentEnvelope,
  eventRuleIssues,
  type EpcisEventType,
} from '../../domain/epcis/document-schema.js';
import { epcisAjv } from '../validation.js';

export type EpcisEvent = { [T in EpcisEventType]: Static<(typeof EVENT_SCHEMAS)[T]> }[EpcisEventType];
export type EpcisDocument = Omit<Static<typeof EpcisDocumentEnvelope>, 'epcisBody'> & {
  epcisBody: { eventList: EpcisEvent[] };
};

const checkEnvelope = epcisAjv.compile(EpcisDocumentEnvelope);
const checkEvent = Object.fromEntries(
  Object.entries(EVENT_SCHEMAS).map(([type, schema]) => [type, epcisAjv.compile(schema)]),
) as Record<EpcisEventType, ValidateFunction>;

/** Every fault of a document: the envelope's, then each event's under `/epcisBody/eventList/<i>`. */
export function epcisDocumentIssues(raw: unknown): FieldIssue[] {
  if (!checkEnvelope(raw)) return epcisIssues(checkEnvelope.errors ?? [], '');
  const events = (raw as { epcisBody: { eventList: unknown[] } }).epcisBody.eventList;
  return events.flatMap((event, i) => epcisEventIssues(event, `/epcisBody/eventList/${i}`));
}

/**
 * The faults of one event under `at`. A standalone event (the binding's single-event form, `at` empty) carries its
 * own `@context`, which inside a document it inherits.
 */
export function epcisEventIssues(raw: unknown, at = ''): FieldIssue[] {
  const type = (raw as { type?: unknown } | null)?.type;
  const check = typeof type === 'string' ? checkEvent[type as EpcisEventType] : undefined;
  if (!check || Array.isArray(raw)) {
    const types = Object.keys(EVENT_SCHEMAS).join(', ');
    return [{ field: `${at}/type`, message: `must be one of: ${types}` }];
  }
  if (!check(raw)) return epcisIssues(check.errors ?? [], at);
  const issues = eventRuleIssues(raw as Record<string, unknown>, at);
  if (at === '' && !('@context' in (raw as object)))
    issues.push({ field: '/@context', message: 'is required' });
  return issues;
}

/** The document as its schema types it; `invalid-epcis-document` (400) listing every fault otherwise. */
export function assertEpcisDocument(raw: unknown): EpcisDocument {
  const issues = epcisDocumentIssues(raw);
  if (issues.length > 0) {
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw invalid(
      'invalid-epcis-document',
      `not a valid EPCIS 2.0 document: ${describeIssue(issues[0]!)}${more}`,
      issues.slice(0, 100),
    );
  }
  return raw as EpcisDocument;
}

const UNION_MEANINGS: Readonly<Record<string, string>> = {
  '@context': 'must be a JSON-LD context: a URI, an object of prefixes, or a list of them',
  certificationInfo: 'must be a URI or a list of URIs',
};

/** Ajv's errors as one issue per place, in words. */
function epcisIssues(errors: ErrorObject[], prefix: string): FieldIssue[] {
  // A union's branches each fault the value at the union's own place ("must be string", "must be array"); one
  // sentence for the union says it better. Faults deeper inside (an item of the list form) stay: they are precise.
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  for (const e of errors) {
    if (unions.has(e.instancePath) && e.keyword !== 'anyOf') continue;
    const issue = issueOf(e, prefix);
    if (!issue) continue;
    const key = describeIssue(issue);
    if (!seen.has(key)) issues.push(issue);
    seen.add(key);
  }
  return issues;
}

function issueOf(e: ErrorObject, prefix: string): FieldIssue | undefined {
  const at = `${prefix}${e.instancePath}` || '/';
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'if':
      return undefined;
    case 'anyOf':
      return {
        field: at,
        message: UNION_MEANINGS[at.slice(at.lastIndexOf('/') + 1)] ?? 'is not of a form this field takes',
      };
    case 'required':
      return { field: `${at === '/' ? '' : at}/${String(params.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return {
        field: `${at === '/' ? '' : at}/${String(params.additionalProperty)}`,
        message:
          'is not a field of this EPCIS 2.0 element (an extension field needs a namespace prefix, as in example:myField)',
      };
    case 'pattern':
      return {
        field: at,
        message: EPCIS_PATTERN_MEANINGS[String(params.pattern)] ?? e.message ?? 'is malformed',
      };
    case 'format':
      return params.format === 'date-time'
        ? { field: at, message: 'must be a date and time with its offset, such as 2026-07-22T06:45:00+02:00' }
        : { field: at, message: e.message ?? 'is malformed' };
    case 'const':
      return { field: at, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case 'enum':
      return { field: at, message: `must be one of: ${(params.allowedValues as unknown[]).join(', ')}` };
    default:
      return { field: at, message: e.message ?? e.keyword };
  }
}
