import { DomainError, type ErrorKind, type FieldIssue } from '../../domain/errors.js';
import type { EventType } from '../../domain/lifecycle/events.js';
import type { LifecycleState } from '../../domain/lifecycle/status.js';

export const MAX_BATCH = 10_000;

/** rollback: the batch commits whole or not at all. proceed: good events commit, bad ones are reported. */
export type CaptureMode = 'rollback' | 'proceed';

export interface EventProblem {
  kind: ErrorKind;
  code: string;
  message: string;
  fields: FieldIssue[];
  state?: LifecycleState;
  allowed?: EventType[];
}

export interface EventResult {
  index: number;
  eventId: string | null;
  outcome: 'accepted' | 'duplicate' | 'rejected';
  seq?: number;
  recordTime?: string;
  late?: boolean;
  problem?: EventProblem;
}

export interface CaptureResult {
  mode: CaptureMode;
  accepted: number;
  duplicates: number;
  rejected: number;
  results: EventResult[];
}

export function rejected(index: number, eventId: string | null, problem: EventProblem): EventResult {
  return { index, eventId, outcome: 'rejected', problem };
}

/** A DomainError raised while taking one event, as that event's rejection. */
export function rejectedBy(error: DomainError, index: number, eventId: string | null): EventResult {
  const fields =
    error.fields.length > 0 ? error.fields : [{ field: `/events/${index}`, message: error.message }];
  const { state, allowed } = error.extensions as Pick<EventProblem, 'state' | 'allowed'>;
  return rejected(index, eventId, {
    kind: error.kind,
    code: error.code,
    message: error.message,
    fields,
    state,
    allowed,
  });
}

export function summarise(mode: CaptureMode, results: EventResult[]): CaptureResult {
  const count = (o: EventResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return {
    mode,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    results,
  };
}

/** Why the whole batch was refused: the one fault, or all of them with their places. */
export function batchRejected(summary: CaptureResult): DomainError {
  const refused = summary.results.filter((r) => r.outcome === 'rejected');
  const kinds = new Set(refused.map((r) => r.problem!.kind));
  const only = refused.length === 1 ? refused[0]!.problem! : null;
  return new DomainError(
    kinds.size === 1 ? [...kinds][0]! : 'invalid',
    only ? only.code : 'batch-rejected',
    only
      ? only.message
      : `${refused.length} of ${summary.results.length} events were rejected; nothing was recorded`,
    refused.flatMap((r) => r.problem!.fields).slice(0, 1000),
    only?.state
      ? { state: only.state, allowed: only.allowed, results: summary.results }
      : { results: summary.results },
  );
}
