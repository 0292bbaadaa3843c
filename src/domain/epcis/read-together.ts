/**
 * Which events of an EPCIS document are read together (from-epcis-document.ts), so that the document may be cut
 * into parts read one at a time without changing what it means: the CLI's captures within the registry's limits,
 * and the registry's own reading of a large document a chunk at a time.
 */

const PARTS_EVENTS = new Set(['AssociationEvent', 'AggregationEvent']);

type Facts = Record<string, unknown>;

/** The value of an event's `<prefix>:partOf` (the registry's extension, under whatever prefix the document binds). */
const partOfValue = (event: Facts) =>
  Object.entries(event).find(([key, value]) => key.endsWith(':partOf') && typeof value === 'string')?.[1] as
    string | undefined;

/**
 * For each event, whether it must go with the one before it: no cut may fall between an event and the parts events
 * that name it by `partOf` (and the events of its eventID, a declaration of error among them), nor between parts
 * fitted and removed on their own for one robot at one instant (one repair). `robotKey` names the robot a parentID
 * is (the registry resolves the EPCs it knows; by default the parentID as written).
 */
export function joinedToPrevious(
  events: readonly unknown[],
  robotKey: (parentID: string) => string = (parentID) => parentID,
): boolean[] {
  const facts = events.map((e) => (typeof e === 'object' && e !== null ? (e as Facts) : {}));
  const byEventId = new Map<string, number[]>();
  facts.forEach((e, i) => {
    if (typeof e.eventID !== 'string') return;
    const same = byEventId.get(e.eventID);
    if (same) same.push(i);
    else byEventId.set(e.eventID, [i]);
  });
  // The furthest event each event must be read with (a span from it), then a sweep: O(events).
  const reach = facts.map((_, i) => i);
  const span = (from: number, to: number) => (reach[from] = Math.max(reach[from]!, to));
  const repairs = new Map<string, number[]>();
  facts.forEach((e, i) => {
    const partOf = partOfValue(e);
    if (partOf !== undefined) {
      const named = byEventId.get(partOf) ?? [];
      if (named.length > 0) span(Math.min(i, named[0]!), Math.max(i, named.at(-1)!));
    } else if (PARTS_EVENTS.has(String(e.type)) && typeof e.parentID === 'string') {
      const key = `${robotKey(e.parentID)}\n${Date.parse(String(e.eventTime))}`;
      const group = repairs.get(key);
      if (group) group.push(i);
      else repairs.set(key, [i]);
    }
  });
  for (const group of repairs.values()) span(group[0]!, group.at(-1)!);
  let furthest = -1;
  return reach.map((to, i) => {
    const joined = i <= furthest;
    furthest = Math.max(furthest, to);
    return joined;
  });
}

/**
 * The document's events as consecutive chunks [start, end) of at least `size` events (the first, of at least
 * `firstSize`; the last, of `lastSize` if given, the one before it taking what is left between; else what is left),
 * each ending where no event is joined to the one before (joinedToPrevious): each can be read alone. A small first
 * chunk lets the writer start sooner, a small last one finish sooner after the reading ends.
 */
export function chunksReadAlone(
  joined: readonly boolean[],
  size: number,
  firstSize = size,
  lastSize = 0,
): [number, number][] {
  const chunks: [number, number][] = [];
  let start = 0;
  /** At least this many events from `start`: the chunk's size, but never leaving fewer than `lastSize` behind. */
  const target = () => {
    const wanted = start === 0 ? firstSize : size;
    const rest = joined.length - start;
    return rest > lastSize && rest - wanted < lastSize ? Math.min(wanted, rest - lastSize) : wanted;
  };
  let least = target();
  for (let i = 1; i <= joined.length; i++) {
    if (i === joined.length || (i - start >= least && !joined[i])) {
      chunks.push([start, i]);
      start = i;
      least = target();
    }
  }
  return joined.length === 0 ? [] : chunks;
}
