import { describe, it } from 'node:test';
import { SIGNED_NOTE_VECTORS, thrownNoteError } from '../support/signed-note-vectors.js';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { formatCheckpoint, parseCheckpoint } from '../../src/log/checkpoint.js';
import {
  SIG_TYPE_COSIGNATURE_V1,
  cosign,
  cosignatureTimestamp,
  generateWitnessKey,
  parseWitnessSignerKey,
  parseWitnessVerifierKey,
} from '../../src/log/cosignature.js';
import {
  NoteError,
  generateSigner,
  keyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
} from '../../src/log/note.js';

/** The published checkpoint vectors, read in place from the shared checkout. */
interface CheckpointVector {
  id: string;
  note?: string;
  body?: string;
  origin?: string;
  size?: number;
  rootB64?: string;
  hashUtf8?: string;
  rest?: string;
  rootIs?: string;
  expect: string;
}

const VECTORS = SIGNED_NOTE_VECTORS as { checkpoints: CheckpointVector[] };

/** A note's text: everything up to and including the first newline of the last blank line. */
const textOf = (note: string): string => note.slice(0, note.lastIndexOf('\n\n') + 1);

function checkParsed(vector: CheckpointVector, body: string): void {
  const checkpoint = parseCheckpoint(body);
  if (vector.origin !== undefined) assert.equal(checkpoint.origin, vector.origin);
  if (vector.size !== undefined) assert.equal(checkpoint.size, vector.size);
  if (vector.rootB64 !== undefined) assert.equal(checkpoint.rootHash.toString('base64'), vector.rootB64);
  if (vector.hashUtf8 !== undefined) assert.equal(checkpoint.rootHash.toString('utf8'), vector.hashUtf8);
  assert.equal(checkpoint.extensions.map((line) => `${line}\n`).join(''), vector.rest ?? '');
  if (vector.rootIs !== undefined) {
    assert.equal(vector.id, 'go-sumdb-tree', 'only go-sumdb-tree describes its root');
    const leaf = createHash('sha256')
      .update(Buffer.from([0x00]))
      .update('hello world')
      .digest();
    assert.deepEqual(checkpoint.rootHash, leaf);
  }
  // Valid checkpoints are canonical: formatting the parsed fields gives back the same text.
  assert.equal(formatCheckpoint(checkpoint), body);
}

function checkVector(vector: CheckpointVector): void {
  if (vector.expect === 'valid') {
    assert.ok(vector.body !== undefined);
    checkParsed(vector, vector.body);
  } else if (vector.expect.startsWith('parse-only')) {
    assert.ok(vector.note !== undefined);
    checkParsed(vector, textOf(vector.note));
    // Well-formed as a note, but with no published key nothing can verify it.
    thrownNoteError(() => openNote(vector.note ?? '', []), 'unknown-key');
  } else if (vector.expect === 'error') {
    assert.ok(vector.body !== undefined);
    thrownNoteError(() => parseCheckpoint(vector.body ?? ''), 'malformed-checkpoint');
  } else {
    assert.fail(`vector ${vector.id}: unhandled expectation ${vector.expect}`);
  }
}

describe('tlog-checkpoint published vectors', () => {
  it('are present', () => assert.ok(VECTORS.checkpoints.length >= 12));
  for (const vector of VECTORS.checkpoints) {
    it(`${vector.id}: ${vector.expect}`, () => checkVector(vector));
  }
});

const ROOT = createHash('sha256').update('root').digest();

describe('checkpoints', () => {
  it('formats origin, size, root and extension lines', () => {
    const body = formatCheckpoint({
      origin: 'robotid.example/log',
      size: 42,
      rootHash: ROOT,
      extensions: ['x y'],
    });
    assert.equal(body, `robotid.example/log\n42\n${ROOT.toString('base64')}\nx y\n`);
    assert.deepEqual(parseCheckpoint(body), {
      origin: 'robotid.example/log',
      size: 42,
      rootHash: ROOT,
      extensions: ['x y'],
    });
  });

  it('accepts the empty tree as size 0', () => {
    assert.equal(parseCheckpoint(formatCheckpoint({ origin: 'o', size: 0, rootHash: ROOT })).size, 0);
  });

  it('accepts sizes up to 2^53 - 1 and explains larger uint64 sizes', () => {
    const line = (size: string) => `o\n${size}\n${ROOT.toString('base64')}\n`;
    assert.equal(parseCheckpoint(line('9007199254740991')).size, Number.MAX_SAFE_INTEGER);
    const tooBig = thrownNoteError(() => parseCheckpoint(line('9007199254740992')), 'malformed-checkpoint');
    assert.match(tooBig.message, /9007199254740991/);
    assert.match(
      thrownNoteError(() => parseCheckpoint(line('18446744073709551615')), 'malformed-checkpoint').message,
      /9007199254740991/,
    );
    assert.match(
      thrownNoteError(() => parseCheckpoint(line('18446744073709551616')), 'malformed-checkpoint').message,
      /2\^64/,
    );
  });

  it('rejects every other spelling of a size', () => {
    for (const size of ['', '00', '01', '+1', '-0', ' 1', '1 ', '1.0', '1e3', '0x10', '١٢'])
      assert.throws(
        () => parseCheckpoint(`o\n${size}\n${ROOT.toString('base64')}\n`),
        (e) => e instanceof NoteError && e.code === 'malformed-checkpoint',
        JSON.stringify(size),
      );
  });

  it('rejects malformed root hashes and lines', () => {
    const root = ROOT.toString('base64');
    const bodies = [
      `o\n1\n\n`, // empty root
      `o\n1\n${root.replace(/=$/, '')}\n`, // unpadded
      `o\n1\n${root.replace(/\+/g, '-').replace(/\//g, '_')}x\n`, // URL-safe alphabet
      `o\n1\n ${root}\n`,
      `o\n1\n${root}\n\n`, // empty extension line
      `o\n1\n${root}\r\n`, // CRLF
      `o\t1\n1\n${root}\n`, // control character
    ];
    for (const body of bodies)
      assert.throws(
        () => parseCheckpoint(body),
        (e) => e instanceof NoteError && e.code === 'malformed-checkpoint',
        JSON.stringify(body),
      );
  });

  it('refuses to format what it would not parse', () => {
    const bad = [
      { origin: '', size: 1, rootHash: ROOT },
      { origin: 'a\nb', size: 1, rootHash: ROOT },
      { origin: 'o', size: -1, rootHash: ROOT },
      { origin: 'o', size: 1.5, rootHash: ROOT },
      { origin: 'o', size: 2 ** 53, rootHash: ROOT },
      { origin: 'o', size: 1, rootHash: Buffer.alloc(0) },
      { origin: 'o', size: 1, rootHash: ROOT, extensions: [''] },
      { origin: 'o', size: 1, rootHash: ROOT, extensions: ['a\nb'] },
      { origin: 'o\t', size: 1, rootHash: ROOT },
    ];
    for (const checkpoint of bad)
      assert.throws(
        () => formatCheckpoint(checkpoint),
        (e) => e instanceof NoteError && e.code === 'malformed-checkpoint',
        JSON.stringify(checkpoint),
      );
  });
});

describe('cosignatures', () => {
  const log = generateSigner('robotid.example/log');
  const logSigner = parseSignerKey(log.signerKey);
  const logVerifier = parseVerifierKey(log.verifierKey);
  const witnessKeys = generateWitnessKey('witness.example/w1');
  const witness = parseWitnessSignerKey(witnessKeys.signerKey);
  const witnessVerifier = parseWitnessVerifierKey(witnessKeys.verifierKey);
  const body = formatCheckpoint({ origin: 'robotid.example/log', size: 7, rootHash: ROOT });
  const TIME = 1_700_000_000;
  const signed = signNote(body, [logSigner]);

  it('uses type 0x04 for the key ID and the verifier key', () => {
    assert.equal(SIG_TYPE_COSIGNATURE_V1, 0x04);
    assert.equal(witness.verifierKey, witnessKeys.verifierKey);
    const encoded = Buffer.from(witnessKeys.verifierKey.split('+')[2] ?? '', 'base64');
    assert.equal(encoded[0], 0x04);
    assert.deepEqual(witnessVerifier.keyId, keyId('witness.example/w1', 0x04, witness.publicKey));
    assert.equal(witnessVerifier.type, 0x04);
    // A witness key is not a note key and vice versa.
    thrownNoteError(() => parseVerifierKey(witnessKeys.verifierKey), 'invalid-vkey');
    thrownNoteError(() => parseWitnessVerifierKey(log.verifierKey), 'invalid-vkey');
    thrownNoteError(() => parseWitnessSignerKey(log.signerKey), 'invalid-skey');
    thrownNoteError(() => parseSignerKey(witnessKeys.signerKey), 'invalid-skey');
  });

  it('signs "cosignature/v1\\ntime <t>\\n" + body, after the key ID and 8-byte big-endian time', () => {
    const line = cosign(body, witness, TIME);
    assert.match(line, /^\u2014 witness\.example\/w1 [A-Za-z0-9+/]+=*\n$/);
    const bytes = Buffer.from(line.trim().split(' ')[2] ?? '', 'base64');
    assert.equal(bytes.length, 4 + 8 + 64);
    assert.deepEqual(bytes.subarray(0, 4), witnessVerifier.keyId);
    assert.equal(bytes.readBigUInt64BE(4), BigInt(TIME));
    // Checked with node:crypto directly, not through our verifier, against the spec's message layout.
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: witness.publicKey.toString('base64url') },
      format: 'jwk',
    });
    const message = Buffer.from(`cosignature/v1\ntime ${TIME}\n${body}`, 'utf8');
    assert.ok(verify(null, message, key, bytes.subarray(12)));
  });

  it('round-trips through openNote beside the log signature, with its time', () => {
    const note = signed + cosign(body, witness, TIME);
    const opened = openNote(note, [logVerifier, witnessVerifier]);
    assert.equal(opened.text, body);
    assert.deepEqual(
      opened.verified.map((v) => v.name),
      ['robotid.example/log', 'witness.example/w1'],
    );
    const cosigned = opened.verified.find((v) => v.name === 'witness.example/w1');
    assert.ok(cosigned !== undefined);
    assert.equal(cosignatureTimestamp(cosigned.signature), TIME);
    assert.deepEqual(parseCheckpoint(opened.text).size, 7);
  });

  it('is ignored by clients that do not know the witness', () => {
    const opened = openNote(signed + cosign(body, witness, TIME), [logVerifier]);
    assert.deepEqual(opened.unverified, [
      { name: 'witness.example/w1', keyIdHex: witnessVerifier.keyId.toString('hex') },
    ]);
  });

  it('is not a plain signature: the same key as a 0x01 verifier does not match the line', () => {
    const raw = Buffer.concat([Buffer.from([0x01]), witness.publicKey]).toString('base64');
    const asNoteKey = `witness.example/w1+${keyId('witness.example/w1', 0x01, witness.publicKey).toString('hex')}+${raw}`;
    const opened = openNote(signed + cosign(body, witness, TIME), [logVerifier, parseVerifierKey(asNoteKey)]);
    assert.equal(opened.verified.length, 1);
    assert.equal(opened.unverified.length, 1);
  });

  it('rejects a changed timestamp, a changed signature and a cosignature of another checkpoint', () => {
    const line = cosign(body, witness, TIME);
    const bytes = Buffer.from(line.trim().split(' ')[2] ?? '', 'base64');
    const withBytes = (edit: (b: Buffer) => void): string => {
      const copy = Buffer.from(bytes);
      edit(copy);
      return `\u2014 witness.example/w1 ${copy.toString('base64')}\n`;
    };
    const laterTime = withBytes((b) => b.writeBigUInt64BE(BigInt(TIME + 1), 4));
    const flippedSig = withBytes((b) => (b[40] = (b[40] ?? 0) ^ 0x80));
    const otherBody = formatCheckpoint({ origin: 'robotid.example/log', size: 8, rootHash: ROOT });
    const otherCheckpoint = cosign(otherBody, witness, TIME);
    for (const bad of [laterTime, flippedSig, otherCheckpoint])
      thrownNoteError(() => openNote(signed + bad, [logVerifier, witnessVerifier]), 'invalid-signature');
    const truncated = `\u2014 witness.example/w1 ${bytes.subarray(0, bytes.length - 1).toString('base64')}\n`;
    thrownNoteError(() => openNote(signed + truncated, [logVerifier, witnessVerifier]), 'invalid-signature');
  });

  it('rejects a validly signed timestamp of 2^63 or more, which the spec forbids', () => {
    const time = 1n << 63n;
    const sig = witness.signCosignedMessage(Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, 'utf8'));
    const stamp = Buffer.alloc(8);
    stamp.writeBigUInt64BE(time);
    const line = `\u2014 witness.example/w1 ${Buffer.concat([witness.keyId, stamp, sig]).toString('base64')}\n`;
    thrownNoteError(() => openNote(signed + line, [logVerifier, witnessVerifier]), 'invalid-signature');
  });

  it('lists a witness once when it cosigned twice, with its first time', () => {
    const note = signed + cosign(body, witness, TIME) + cosign(body, witness, TIME + 60);
    const opened = openNote(note, [logVerifier, witnessVerifier]);
    const cosigned = opened.verified.filter((v) => v.name === 'witness.example/w1');
    assert.equal(cosigned.length, 1);
    assert.equal(cosignatureTimestamp(cosigned[0]?.signature ?? Buffer.alloc(0)), TIME);
  });

  it('reads the time of the spec’s example cosignature', () => {
    const line =
      'jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==';
    assert.equal(cosignatureTimestamp(Buffer.from(line, 'base64').subarray(4)), 1679315147);
    thrownNoteError(() => cosignatureTimestamp(Buffer.alloc(71)), 'malformed-note');
    const huge = Buffer.alloc(72);
    huge.writeBigUInt64BE(BigInt(Number.MAX_SAFE_INTEGER) + 1n);
    thrownNoteError(() => cosignatureTimestamp(huge), 'invalid-timestamp');
  });

  it('refuses to cosign text that is not a checkpoint, or at an unencodable time', () => {
    thrownNoteError(() => cosign('hello\n', witness, TIME), 'malformed-checkpoint');
    thrownNoteError(() => cosign(signed, witness, TIME), 'malformed-checkpoint');
    for (const time of [-1, 1.5, Number.NaN, 2 ** 53])
      thrownNoteError(() => cosign(body, witness, time), 'invalid-timestamp');
  });
});
