/** Recording reads of non-public data at the gate, so that no read path can forget it. */
import type { DataClass } from '../../domain/policy/table.js';
import { isoNow, type AppContext, type Caller } from '../context.js';

export interface ReadNote {
  robotId?: string;
  query?: string;
  classes: Iterable<DataClass>;
  outcome: 'granted' | 'denied';
}

/** Records the read unless it showed only public data (anyone may see that; recording it would be noise). */
export function noteRead(ctx: AppContext, caller: Caller, note: ReadNote) {
  const classes = [...new Set(note.classes)].sort();
  if (note.outcome === 'granted' && classes.every((c) => c === 'public')) return;
  ctx.readAudit.record({
    at: isoNow(ctx),
    orgId: caller?.orgId ?? null,
    keyId: caller?.keyId ?? null,
    robotId: note.robotId ?? null,
    query: note.query ?? null,
    classes,
    purpose: caller?.purpose ?? null,
    outcome: note.outcome,
  });
}
