import type { DomainError } from '../../../domain/errors.js';
import { explainRobotId, type RobotIdExplanation } from '../../../domain/id/robot-id.js';
import { displayWidth, fields, table } from '../output.js';

/** `id check`: an offline verdict on a typed robot ID, as text or as a JSON object. */
export interface CheckReport {
  ok: boolean;
  text: string;
  json: unknown;
}

/** A line of carets under `typed` (as trimmed) at the given 1-based positions, wide characters counted twice. */
export function caretLine(typed: string, positions: readonly number[]): string {
  let line = '';
  [...typed].forEach((c, i) => {
    const width = displayWidth(c);
    line += positions.includes(i + 1) ? '^'.padEnd(width) : ' '.repeat(width);
  });
  return line.trimEnd();
}

function invalidReport(typed: string, error: DomainError): CheckReport {
  const positions = error.fields.flatMap((f) => (f.position === undefined ? [] : [f.position]));
  const lines = [`invalid robot ID: ${error.message}`];
  if (positions.length > 0) lines.push(`  ${typed}`, `  ${caretLine(typed, positions)}`);
  if (error.fields.length > 1) lines.push('faults:', ...error.fields.map((f) => `  - ${f.message}`));
  const errors = error.fields.map(({ message, position }) => ({
    message,
    ...(position === undefined ? {} : { position }),
  }));
  return {
    ok: false,
    text: lines.join('\n'),
    json: { ok: false, input: typed, code: error.code, message: error.message, errors },
  };
}

function validReport(typed: string, result: Extract<RobotIdExplanation, { ok: true }>): CheckReport {
  const { parsed, parts } = result;
  const text = [
    `valid robot ID, given in ${parsed.form} form`,
    fields([
      ['canonical', parsed.canonical],
      ['printed', parsed.printed],
      ['display', parsed.display],
    ]),
    '',
    table(
      ['PART', 'VALUE', 'MEANING'],
      parts.map((p) => [p.name, p.value, p.meaning]),
    ),
  ].join('\n');
  const { canonical, printed, display, form } = parsed;
  return { ok: true, text, json: { ok: true, input: typed, form, canonical, printed, display, parts } };
}

export function checkRobotId(input: string): CheckReport {
  const typed = input.trim();
  const result = explainRobotId(input);
  return result.ok ? validReport(typed, result) : invalidReport(typed, result.error);
}
