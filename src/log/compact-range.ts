/**
 * A tree grown one leaf at a time keeping only the roots of its complete subtrees (at most log2 n hashes): the
 * root at any size on the way, in O(log n) memory. What the audit rebuilds the whole log with.
 */
import { EMPTY_ROOT, nodeHash } from './hash.js';

export class CompactRange {
  /** Complete subtrees, left to right, strictly decreasing in height. */
  private readonly peaks: { level: number; hash: Buffer }[] = [];
  size = 0;

  append(leafHash: Buffer): void {
    let hash = leafHash;
    let level = 0;
    while (this.peaks.length > 0 && this.peaks[this.peaks.length - 1]!.level === level) {
      hash = nodeHash(this.peaks.pop()!.hash, hash);
      level++;
    }
    this.peaks.push({ level, hash });
    this.size++;
  }

  /** MTH of the leaves appended so far: the peaks folded from the right, as RFC 6962's split does. */
  root(): Buffer {
    if (this.peaks.length === 0) return EMPTY_ROOT;
    let root = this.peaks[this.peaks.length - 1]!.hash;
    for (let i = this.peaks.length - 2; i >= 0; i--) root = nodeHash(this.peaks[i]!.hash, root);
    return root;
  }
}
