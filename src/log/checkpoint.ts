/**
 * C2SP checkpoints (https://c2sp.org/tlog-checkpoint): the note text that states a log's tree head as origin,
 * tree size and root hash lines, then optional extension lines. Signing and verifying are note.ts's job; this
 * file only writes and reads the text, rejecting every variant the spec does not allow, because two parsers that
 * disagree on what a checkpoint says would let one signed checkpoint mean two tree heads.
 */
import { NoteError, decodeBase64Strict, isValidNoteText } from './note-text.js';

export interface Checkpoint {
  /** Names the log; unique per log, not necessarily a reachable URL. */
  origin: string;
  /** Number of leaves. */
  size: number;
  /**
   * RFC 6962 root hash. Its length is not checked here (the published vectors use a 7-byte "bananas"); proof
   * verification rejects anything but 32 bytes.
   */
  rootHash: Buffer;
  /** Opaque extension lines, without their newlines. NOT RECOMMENDED by the spec: monitors cannot audit them. */
  extensions: string[];
}

const UINT64_MAX = (1n << 64n) - 1n;

function malformed(message: string): NoteError {
  return new NoteError('malformed-checkpoint', message);
}

/** Every line must be one line and non-empty: a stray "\n" would shift what the following lines mean. */
function checkLine(what: string, line: string): void {
  if (line.length === 0) throw malformed(`${what} must not be empty`);
  if (line.includes('\n')) throw malformed(`${what} must not contain a newline`);
}

/** The checkpoint body: origin, size, base64 root and any extension lines, each ending in "\n". */
export function formatCheckpoint(checkpoint: {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  extensions?: readonly string[];
}): string {
  const { origin, size, rootHash, extensions = [] } = checkpoint;
  checkLine('origin', origin);
  if (!Number.isSafeInteger(size) || size < 0)
    throw malformed(`tree size must be a non-negative integer: ${size}`);
  if (rootHash.length === 0) throw malformed('root hash must not be empty');
  extensions.forEach((line, i) => checkLine(`extension line ${i + 1}`, line));
  const lines = [origin, String(size), Buffer.from(rootHash).toString('base64'), ...extensions];
  const body = lines.map((line) => `${line}\n`).join('');
  if (!isValidNoteText(body))
    throw malformed('checkpoint must not contain control characters other than "\\n"');
  return body;
}

/**
 * ASCII decimal, no sign, no leading zeros except "0" itself: one size, one spelling. The spec's range is uint64,
 * but sizes are JavaScript numbers here, so anything past 2^53 - 1 is refused too rather than silently rounded.
 */
function parseTreeSize(line: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(line))
    throw malformed('tree size must be decimal digits without leading zeros');
  // Checked on length first so a megabyte of digits never reaches BigInt.
  if (line.length > 20 || BigInt(line) > UINT64_MAX) throw malformed('tree size exceeds 2^64 - 1');
  const size = Number(line);
  if (!Number.isSafeInteger(size))
    throw malformed(
      `tree size ${line} exceeds ${Number.MAX_SAFE_INTEGER}, the largest size this log supports`,
    );
  return size;
}

function parseRootHash(line: string): Buffer {
  const root = decodeBase64Strict(line);
  if (root === undefined || root.length === 0) throw malformed('root hash must be non-empty standard base64');
  return root;
}

/** Parses checkpoint note text (the verified `text` of an opened note, not the note with its signatures). */
export function parseCheckpoint(body: string): Checkpoint {
  if (!body.endsWith('\n')) throw malformed('checkpoint must end with a newline');
  if (!isValidNoteText(body))
    throw malformed('checkpoint must not contain control characters other than "\\n"');
  const lines = body.slice(0, -1).split('\n');
  const [origin, size, root, ...extensions] = lines;
  if (origin === undefined || size === undefined || root === undefined)
    throw malformed('checkpoint must have origin, tree size and root hash lines');
  if (origin.length === 0) throw malformed('origin must not be empty');
  extensions.forEach((line, i) => {
    if (line.length === 0) throw malformed(`extension line ${i + 1} must not be empty`);
  });
  return { origin, size: parseTreeSize(size), rootHash: parseRootHash(root), extensions };
}
