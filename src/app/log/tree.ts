/** The log's tree as stored: proofs and roots computed from the tiles they need, fetched in one call. */
import { consistencyProof, inclusionProof, nodesRead, treeRoot, type NodeSource } from '../../log/proofs.js';
import { nodesFromTiles, tilesFor } from '../../log/tiles.js';
import type { Reader } from '../../store/store.js';

/** Runs a tree computation against stored tiles: learns which nodes it reads, fetches their tiles, runs it. */
export async function computeOnTree<T>(reader: Reader, compute: (node: NodeSource) => T): Promise<T> {
  const tiles = await reader.readLogTiles(tilesFor(nodesRead(compute)));
  return compute(nodesFromTiles(tiles));
}

export const rootAt = (reader: Reader, size: number) => computeOnTree(reader, (n) => treeRoot(size, n));

export const inclusionProofAt = (reader: Reader, index: number, size: number) =>
  computeOnTree(reader, (n) => inclusionProof(index, size, n));

export const consistencyProofAt = (reader: Reader, size1: number, size2: number) =>
  computeOnTree(reader, (n) => consistencyProof(size1, size2, n));
