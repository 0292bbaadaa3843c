import { isUtf8 } from 'node:buffer';
import type { FastifyBodyParser, FastifyInstance } from 'fastify';
import { Issues, describeIssue, invalid, type FieldIssue } from '../../domain/errors.js';

/**
 * Only text both stores hold alike gets past the edge. PostgreSQL refuses NUL in text and jsonb, and lone UTF-16
 * surrogates (`\ud800`, which JSON can spell but which is not text) in jsonb, where SQLite would keep both: such
 * text is a 400 `invalid-text` naming the field, in every body, path parameter and query value. Bytes that are
 * not UTF-8 are a 400 `invalid-utf8` rather than silently rewritten to U+FFFD.
 */
export function installTextChecks(
  app: FastifyInstance,
  json: { onProtoPoisoning: 'error'; onConstructorPoisoning: 'error' },
) {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, checkedJsonParser(app, json));
  app.addHook('preValidation', async (request) => {
    const query = request.url.indexOf('?');
    const undecodable = query < 0 ? [] : undecodableQueryValues(request.url.slice(query + 1));
    if (undecodable.length > 0) {
      throw invalid('invalid-utf8', describeIssue(undecodable[0]!), undecodable);
    }
    throwTextFaults(request.params, 'path:');
    throwTextFaults(request.query, 'query:');
  });
}

/** The JSON text each object body was parsed from, while the body lives (see `bodyText`). */
const BODY_TEXTS = new WeakMap<object, string>();

/**
 * The text a JSON object body was parsed from: what a route that keeps a body whole (an EPCIS capture job's
 * document) stores as sent, rather than writing the parsed body out again. Undefined for any other body.
 */
export const bodyText = (body: unknown): string | undefined =>
  typeof body === 'object' && body !== null ? BODY_TEXTS.get(body) : undefined;

/**
 * JSON bodies as the registry takes them (UTF-8, no prototype poisoning, only text both stores hold alike): the
 * parser for application/json, and for the other JSON media types a route scope takes (EPCIS: application/ld+json).
 */
export function checkedJsonParser(
  app: FastifyInstance,
  json: { onProtoPoisoning: 'error'; onConstructorPoisoning: 'error' },
): FastifyBodyParser<Buffer> {
  const parseJson = app.getDefaultJsonParser(json.onProtoPoisoning, json.onConstructorPoisoning);
  return (request, bytes, done) => {
    if (!isUtf8(bytes)) {
      done(invalid('invalid-utf8', 'the body is not UTF-8 text', [{ field: '/', message: 'is not UTF-8' }]));
      return;
    }
    const text = bytes.toString('utf8');
    void parseJson(request, text, (error, value) => {
      if (error) return done(error);
      try {
        if (spellsUnstorableText(text)) throwTextFaults(value, '');
        if (typeof value === 'object' && value !== null) BODY_TEXTS.set(value, text);
        done(null, value);
      } catch (fault) {
        done(fault as Error);
      }
    });
  };
}

/** `\u0000` and `\ud800`–`\udfff` (hex digits in any case): the escapes that spell what cannot be stored. */
const SUSPECT_ESCAPE = /\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})/g;
const LOW_SURROGATE_ESCAPE = /^\\u[dD][c-fC-F][0-9a-fA-F]{2}$/;

/**
 * Whether valid JSON text, once parsed, holds NUL or a lone surrogate. Only an escape can spell either (a raw NUL
 * is not JSON, UTF-8 cannot encode a surrogate), so one scan of the text answers, and the parsed value is walked
 * only to name the fields of a body that is refused. `\\u0000` is a backslash and text; `\ud83d\ude00` a pair.
 */
export function spellsUnstorableText(json: string): boolean {
  SUSPECT_ESCAPE.lastIndex = 0;
  for (let match = SUSPECT_ESCAPE.exec(json); match; match = SUSPECT_ESCAPE.exec(json)) {
    if (backslashesBefore(json, match.index) % 2 === 1) continue; // an escaped backslash, then text
    const unit = parseInt(match[1]!, 16);
    if (unit === 0 || unit >= 0xdc00) return true; // NUL, or a low surrogate after no high one
    const next = SUSPECT_ESCAPE.lastIndex;
    if (!LOW_SURROGATE_ESCAPE.test(json.slice(next, next + 6))) return true; // a high one alone
    SUSPECT_ESCAPE.lastIndex = next + 6;
  }
  return false;
}

function backslashesBefore(text: string, index: number): number {
  let count = 0;
  while (index - count > 0 && text.charCodeAt(index - count - 1) === 0x5c) count += 1;
  return count;
}

/** NUL, a high surrogate not followed by a low one, or a low one not after a high one. */
const BAD_TEXT = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, at its first bad character; undefined when it can. */
export function textFault(text: string): Omit<FieldIssue, 'field'> | undefined {
  const bad = BAD_TEXT.exec(text);
  if (!bad) return undefined;
  const unit = text.charCodeAt(bad.index);
  const message =
    unit === 0
      ? 'contains NUL (U+0000), which the registry cannot store'
      : `contains a lone surrogate (\\u${unit.toString(16)}), which is not text and cannot be stored`;
  return { message, position: bad.index + 1 };
}

/** Throws `invalid-text` listing every string and member name in a parsed value that cannot be stored. */
function throwTextFaults(value: unknown, pointer: string): void {
  const issues = new Issues();
  collectTextFaults(value, pointer, issues);
  issues.throwIfAny('invalid-text');
}

/** Every string and member name in a parsed value that cannot be stored, by JSON Pointer under `pointer`. */
function collectTextFaults(value: unknown, pointer: string, issues: Issues): void {
  if (typeof value === 'string') {
    const fault = textFault(value);
    if (fault) issues.add({ field: pointer || '/', ...fault });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => collectTextFaults(item, `${pointer}/${i}`, issues));
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, item] of Object.entries(value)) {
      const at = `${pointer}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      const fault = textFault(name);
      if (fault) issues.add({ field: at, ...fault, message: `its name ${fault.message}` });
      collectTextFaults(item, at, issues);
    }
  }
}

/**
 * The query parameters whose percent-encoding decodes to bytes that are not UTF-8 (`%FF`, `%C3%28`). The
 * querystring parser keeps such a value as its literal percent text; a `%` not followed by two hex digits is not an
 * encoding and is left alone, as that parser leaves it.
 */
function undecodableQueryValues(query: string): FieldIssue[] {
  if (!query.includes('%')) return [];
  const issues: FieldIssue[] = [];
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (percentDecoded(pair) === undefined) {
      issues.push({
        field: `query:/${percentDecoded(name) ?? name}`,
        message: 'is not UTF-8 text once percent-decoded',
      });
    }
  }
  return issues;
}

/** A query part decoded as the querystring parser does (`+` a space, a stray `%` kept); undefined if not UTF-8. */
function percentDecoded(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replaceAll('+', ' ').replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
  } catch {
    return undefined;
  }
}
