/**
 * Components across robots, beyond the transition table (which sees one robot): a serialised part (part number
 * and serial) is fitted in one robot at a time. The registry knows where each part is; these decide.
 */
import { DomainError } from '../errors.js';
import type { Component } from './events.js';

const componentKey = (p: Component) =>
  `${p.kind}\u0000${p.position}\u0000${p.partNumber}\u0000${p.serial}\u0000${p.lot}`;

/** The components `after` has that `before` has not (fitted), and the reverse (removed), counting duplicates. */
export function componentChanges(
  before: Component[],
  after: Component[],
): { fitted: Component[]; removed: Component[] } {
  if (before.length === 0) return { fitted: after, removed: [] };
  const left = new Map<string, Component[]>();
  for (const p of before) {
    const key = componentKey(p);
    const same = left.get(key);
    if (same) same.push(p);
    else left.set(key, [p]);
  }
  const fitted: Component[] = [];
  for (const p of after) {
    const same = left.get(componentKey(p));
    if (same && same.length > 0) same.pop();
    else fitted.push(p);
  }
  return { fitted, removed: [...left.values()].flat() };
}

/**
 * Refuses to fit a serialised part into `robotId` while it is fitted in another robot (`component-fitted-elsewhere`).
 * `holder`: the robot the part is fitted in now, null or undefined when none; `at`: the event's place in the request.
 */
export function assertNotFittedElsewhere(
  robotId: string,
  part: Component,
  holder: string | null | undefined,
  at: string,
): void {
  if (holder && holder !== robotId) {
    throw new DomainError(
      'conflict',
      'component-fitted-elsewhere',
      `${part.partNumber} serial ${part.serial} is fitted in robot ${holder}`,
      [{ field: `${at}/payload`, message: `part ${part.partNumber} ${part.serial} is in another robot` }],
    );
  }
}
