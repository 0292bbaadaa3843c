import type { Component, ReportedEvent } from '../../domain/lifecycle/events.js';
import { assertNotFittedElsewhere, componentChanges } from '../../domain/lifecycle/fitted-parts.js';
import { serialisedPartKey, type SerialisedPart, type Tx } from '../../store/store.js';

/** Components fitted or removed by the accepted event at `acceptedIndex` of the batch. */
export interface PartChange {
  acceptedIndex: number;
  robotId: string;
  fitted: Component[];
  removed: Component[];
}

/** The serialised parts an event fits: a manufactured robot's components, a service's replacements. */
export function serialisedPartsFitted(event: ReportedEvent): SerialisedPart[] {
  const fitted =
    event.type === 'manufactured'
      ? event.payload.components
      : event.type === 'serviced'
        ? (event.payload.replaced ?? []).map((r) => r.new)
        : [];
  return fitted.flatMap((p) => (p.serial ? [{ partNumber: p.partNumber, serial: p.serial }] : []));
}

const keyOf = (p: Component) => serialisedPartKey({ partNumber: p.partNumber, serial: p.serial! });

/**
 * The components a batch's events fit and remove: where each serialised part is as the batch goes (one robot at a
 * time: src/domain/lifecycle/fitted-parts.ts) and the changes to record with the events.
 */
export class PartsInBatch {
  /** In the order of the accepted events that made them. */
  readonly changes: PartChange[] = [];
  /** Serialised parts (`keyOf`) fitted in this batch → robot. */
  private readonly fittedInBatch = new Map<string, string>();
  private readonly removedInBatch = new Set<string>();
  /** Where the parts this batch fits were fitted when it began (null: nowhere), read by `prefetch` or since. */
  private readonly fittedBefore = new Map<string, string | null>();

  constructor(private readonly tx: Tx) {}

  /**
   * Reads at once where the parts the batch's events fit are now, those not read yet (a later chunk's): a round trip
   * per part would cost most.
   */
  async prefetch(parts: SerialisedPart[]): Promise<void> {
    const unread = parts.filter((p) => !this.fittedBefore.has(serialisedPartKey(p)));
    if (unread.length === 0) return;
    const holders = await this.tx.findFittedComponents(unread);
    for (const part of unread) {
      const key = serialisedPartKey(part);
      this.fittedBefore.set(key, holders.get(key) ?? null);
    }
  }

  /**
   * Notes the parts an event fits or removes, refusing a part fitted in another robot. Synchronous unless a part's
   * holder must be looked up (one a correction refits, say): then a promise to await.
   */
  track(
    robotId: string,
    before: Component[],
    after: Component[],
    acceptedIndex: number,
    at: string,
  ): Promise<void> | undefined {
    if (after === before) return undefined;
    const { fitted, removed } = componentChanges(before, after);
    const unknown = fitted.filter((p) => p.serial && this.holderBefore(p) === undefined);
    if (unknown.length === 0) return this.note(robotId, fitted, removed, acceptedIndex, at);
    return Promise.all(
      unknown.map(async (p) =>
        this.fittedBefore.set(keyOf(p), await this.tx.findFittedComponent(p.partNumber, p.serial!)),
      ),
    ).then(() => this.note(robotId, fitted, removed, acceptedIndex, at));
  }

  private note(
    robotId: string,
    fitted: Component[],
    removed: Component[],
    acceptedIndex: number,
    at: string,
  ): undefined {
    for (const p of fitted) if (p.serial) assertNotFittedElsewhere(robotId, p, this.holderBefore(p), at);
    for (const p of removed) {
      if (!p.serial) continue;
      this.fittedInBatch.delete(keyOf(p));
      this.removedInBatch.add(keyOf(p));
    }
    for (const p of fitted) if (p.serial) this.fittedInBatch.set(keyOf(p), robotId);
    this.changes.push({ acceptedIndex, robotId, fitted, removed });
    return undefined;
  }

  /**
   * The robot a serialised part is fitted in before this event: as this batch left it, else as the batch found it;
   * undefined when not known yet.
   */
  private holderBefore(part: Component): string | null | undefined {
    const key = keyOf(part);
    return this.fittedInBatch.get(key) ?? (this.removedInBatch.has(key) ? null : this.fittedBefore.get(key));
  }
}
