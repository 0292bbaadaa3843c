/**
 * The robots' heads map as stored (src/log/heads-map.ts). It is brought up to date when a checkpoint is signed, in
 * the same unit of work, from the events appended since the checkpoint before: so the stored map is always the one
 * the latest checkpoint commits to, and the capture never waits for it.
 */
import { mapKey, mapProof, updateMap, type MapProof } from '../../log/heads-map.js';
import type { Reader, Tx } from '../../store/store.js';

/** Adds the leaves with seq in (after, upTo] to the stored map (all of them when `after` is 0); returns its root. */
export async function advanceHeads(tx: Tx, after: number, upTo: number): Promise<Buffer> {
  if (after === 0) await tx.clearHeadsNodes();
  const gained = await tx.robotLeavesBetween(after, upTo);
  const { root, writes } = await updateMap(
    (paths) => tx.readHeadsNodes(paths),
    gained.map((g) => ({ key: mapKey(g.robotId), added: g.added, head: g.lastSeq - 1 })),
  );
  await tx.putHeadsNodes(writes);
  return root;
}

/** The stored map's proof of a robot's head (or of its absence). */
export const robotHeadsProof = (reader: Reader, robotId: string): Promise<MapProof> =>
  mapProof((paths) => reader.readHeadsNodes(paths), mapKey(robotId));
