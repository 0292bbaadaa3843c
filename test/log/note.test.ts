import { describe, it } from 'node:test';
import { SIGNED_NOTE_VECTORS, thrownNoteError } from '../support/signed-note-vectors.js';
import assert from 'node:assert/strict';
import {
  MAX_SIGNATURES,
  NoteError,
  generateSigner,
  keyId,
  openNote,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  type Verifier,
} from '../../src/log/note.js';

/** The published vectors, read in place from the shared checkout (see its "source" field for provenance). */
interface NoteVector {
  id: string;
  vkey?: string;
  vkeys?: string[];
  skey?: string;
  text?: string;
  note?: string;
  expect: string;
}

const VECTORS = SIGNED_NOTE_VECTORS as { notes: NoteVector[] };

function vkeysOf(vector: NoteVector): string[] {
  const vkeys = vector.vkeys ?? (vector.vkey === undefined ? [] : [vector.vkey]);
  assert.ok(vkeys.length > 0, `vector ${vector.id} has no vkey`);
  return vkeys;
}

function requireNote(vector: NoteVector): string {
  assert.ok(vector.note !== undefined, `vector ${vector.id} has no note`);
  return vector.note;
}

/** The expected outcome of each published vector, asserted in full. */
function checkVector(vector: NoteVector): void {
  if (vector.expect === 'valid') {
    const verifiers = vkeysOf(vector).map(parseVerifierKey);
    const note = requireNote(vector);
    const opened = openNote(note, verifiers);
    assert.equal(opened.text, vector.text ?? note.slice(0, note.lastIndexOf('\n\n') + 1));
    assert.deepEqual(
      opened.verified.map((v) => v.name),
      verifiers.map((v) => v.name),
    );
    assert.deepEqual(opened.unverified, []);
    if (vector.skey !== undefined) {
      const signer = parseSignerKey(vector.skey);
      assert.equal(signer.verifierKey, vector.vkey);
      // Ed25519 is deterministic, so our signature must reproduce the published note byte for byte.
      assert.equal(signNote(vector.text ?? '', [signer]), note);
    }
  } else if (vector.expect === 'invalid-signature') {
    thrownNoteError(
      () => openNote(requireNote(vector), vkeysOf(vector).map(parseVerifierKey)),
      'invalid-signature',
    );
  } else if (vector.expect.startsWith('invalid-vkey')) {
    const [vkey] = vkeysOf(vector);
    const error = thrownNoteError(() => parseVerifierKey(vkey ?? ''), 'invalid-vkey');
    if (vector.expect.includes('key hash mismatch')) assert.match(error.message, /does not match/);
  } else {
    assert.fail(`vector ${vector.id}: unhandled expectation ${vector.expect}`);
  }
}

describe('signed-note published vectors', () => {
  it('are present', () => assert.ok(VECTORS.notes.length >= 7));
  for (const vector of VECTORS.notes) {
    it(`${vector.id}: ${vector.expect}`, () => checkVector(vector));
  }

  it('go-peter-enoch-double: a signature from a key not configured is reported as unverified', () => {
    const vector = VECTORS.notes.find((v) => v.id === 'go-peter-enoch-double');
    assert.ok(vector?.vkeys?.[0] !== undefined && vector.note !== undefined);
    const opened = openNote(vector.note, [parseVerifierKey(vector.vkeys[0])]);
    assert.deepEqual(
      opened.verified.map((v) => v.name),
      ['PeterNeumann'],
    );
    assert.deepEqual(opened.unverified, [{ name: 'EnochRoot', keyIdHex: 'af0cfe78' }]);
  });
});

const PETER = VECTORS.notes.find((v) => v.id === 'go-peter-single');
assert.ok(PETER?.vkey !== undefined && PETER.skey !== undefined);
const PETER_VKEY = PETER.vkey;
const PETER_SKEY = PETER.skey;

describe('keys', () => {
  it('keyId is SHA-256(name || "\\n" || type || key)[:4]', () => {
    const verifier = parseVerifierKey(PETER_VKEY);
    assert.equal(keyId('PeterNeumann', 0x01, verifier.publicKey).toString('hex'), 'c74f20a3');
    assert.notEqual(keyId('PeterNeumann', 0x04, verifier.publicKey).toString('hex'), 'c74f20a3');
    assert.equal(verifier.type, 0x01);
    assert.equal(verifier.publicKey.length, 32);
  });

  it('generated keys parse, agree with each other and carry type 0x01', () => {
    const { signerKey, verifierKey } = generateSigner('registry.example/log');
    assert.match(signerKey, /^PRIVATE\+KEY\+registry\.example\/log\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    assert.match(verifierKey, /^registry\.example\/log\+[0-9a-f]{8}\+A[A-Za-z0-9+/]{43}$/);
    const signer = parseSignerKey(signerKey);
    const verifier = parseVerifierKey(verifierKey);
    assert.equal(signer.verifierKey, verifierKey);
    assert.deepEqual(signer.keyId, verifier.keyId);
    assert.equal(Buffer.from(verifierKey.split('+')[2] ?? '', 'base64')[0], 0x01);
  });

  it('generating refuses names the spec forbids', () => {
    for (const name of ['', 'a+b', 'a b', 'tab\there', 'nbsp\u00a0here', 'zero\u200bwidth', 'bell\u0007'])
      thrownNoteError(() => generateSigner(name), 'invalid-skey');
  });

  it('rejects malformed verifier keys', () => {
    const [name, hex, key] = PETER_VKEY.split('+') as [string, string, string];
    const cases = {
      'no separators': 'PeterNeumann',
      'one separator': `${name}+${hex}`,
      'empty name': `+${hex}+${key}`,
      'space in name': `Peter Neumann+${hex}+${key}`,
      'uppercase hex id': `${name}+${hex.toUpperCase()}+${key}`,
      'short hex id': `${name}+${hex.slice(1)}+${key}`,
      'key hash mismatch': `${name}+c74f20a4+${key}`,
      'unpadded base64': `${name}+${hex}+${key.replace(/=+$/, '').slice(0, -1)}`,
      'url-safe base64': `${name}+${hex}+${key.replace(/\//g, '_')}`,
      'empty key': `${name}+${hex}+`,
      'truncated key': `${name}+${hex}+${Buffer.from(key, 'base64').subarray(0, 32).toString('base64')}`,
      'whitespace after key': `${PETER_VKEY} `,
    };
    for (const [what, vkey] of Object.entries(cases))
      assert.throws(
        () => parseVerifierKey(vkey),
        (e) => e instanceof NoteError && e.code === 'invalid-vkey',
        what,
      );
  });

  it('rejects a verifier key of another algorithm even when its key ID is right', () => {
    const pub = parseVerifierKey(PETER_VKEY).publicKey;
    const id = keyId('PeterNeumann', 0x04, pub).toString('hex');
    const cosignerKey = `PeterNeumann+${id}+${Buffer.concat([Buffer.from([0x04]), pub]).toString('base64')}`;
    const error = thrownNoteError(() => parseVerifierKey(cosignerKey), 'invalid-vkey');
    assert.match(error.message, /algorithm 0x04/);
  });

  it('rejects malformed signer keys', () => {
    const rest = PETER_SKEY.slice('PRIVATE+KEY+'.length);
    thrownNoteError(() => parseSignerKey(rest), 'invalid-skey');
    thrownNoteError(() => parseSignerKey(`private+key+${rest}`), 'invalid-skey');
    thrownNoteError(() => parseSignerKey(PETER_SKEY.replace('c74f20a3', 'c74f20a4')), 'invalid-skey');
    thrownNoteError(() => parseSignerKey(PETER_SKEY.replace('PeterNeumann', 'PeterNeuman')), 'invalid-skey');
    thrownNoteError(() => parseSignerKey(PETER_SKEY.replace('+AY', '+BY')), 'invalid-skey');
  });
});

describe('signNote / openNote', () => {
  const alice = generateSigner('alice.example/log');
  const bob = generateSigner('bob.example/log');
  const aliceSigner = parseSignerKey(alice.signerKey);
  const bobSigner = parseSignerKey(bob.signerKey);
  const aliceVerifier = parseVerifierKey(alice.verifierKey);
  const bobVerifier = parseVerifierKey(bob.verifierKey);

  it('round-trips text with inner blank lines, splitting at the last blank line', () => {
    const text = 'first\n\nsecond — with an em dash\n\n\nünïcödé 🤖\n';
    const note = signNote(text, [aliceSigner, bobSigner]);
    assert.ok(note.startsWith(`${text}\n\u2014 alice.example/log `));
    assert.equal(note.split('\n\u2014 ').length, 3);
    const opened = openNote(note, [aliceVerifier, bobVerifier]);
    assert.equal(opened.text, text);
    assert.deepEqual(
      opened.verified.map((v) => [v.name, v.keyId.toString('hex'), v.signature.length]),
      [
        ['alice.example/log', aliceVerifier.keyId.toString('hex'), 64],
        ['bob.example/log', bobVerifier.keyId.toString('hex'), 64],
      ],
    );
  });

  it('opens strictly decoded UTF-8 bytes and rejects invalid UTF-8', () => {
    const note = signNote('bytes ✓\n', [aliceSigner]);
    assert.equal(openNote(Buffer.from(note, 'utf8'), [aliceVerifier]).text, 'bytes ✓\n');
    const bad = Buffer.from(note, 'utf8');
    bad[0] = 0xff; // never valid in UTF-8
    thrownNoteError(() => openNote(bad, [aliceVerifier]), 'malformed-note');
  });

  it('reports keys it does not know, and rejects a note no known key signed', () => {
    const note = signNote('hello\n', [aliceSigner, bobSigner]);
    const opened = openNote(note, [bobVerifier]);
    assert.deepEqual(opened.unverified, [
      { name: 'alice.example/log', keyIdHex: aliceVerifier.keyId.toString('hex') },
    ]);
    thrownNoteError(() => openNote(note, []), 'unknown-key');
    thrownNoteError(() => openNote(signNote('hello\n', [aliceSigner]), [bobVerifier]), 'unknown-key');
  });

  it('ignores a signature that shares only the name, or only the key ID, with a known key', () => {
    const note = signNote('hello\n', [aliceSigner]);
    const otherAlice = parseVerifierKey(generateSigner('alice.example/log').verifierKey);
    const sameIdOtherName: Verifier = {
      name: 'mallory.example',
      keyId: aliceVerifier.keyId,
      verify: () => true,
    };
    thrownNoteError(() => openNote(note, [otherAlice, sameIdOtherName]), 'unknown-key');
  });

  it('rejects the whole note when a known key’s signature fails, even beside a valid one', () => {
    const note = signNote('hello\n', [aliceSigner, bobSigner]);
    const tampered = note.replace('hello', 'jello');
    thrownNoteError(() => openNote(tampered, [aliceVerifier, bobVerifier]), 'invalid-signature');
    const badBob = signNote('other\n', [bobSigner]).split('\n\n')[1] ?? '';
    const mixed = signNote('hello\n', [aliceSigner]) + badBob;
    const error = thrownNoteError(() => openNote(mixed, [aliceVerifier, bobVerifier]), 'invalid-signature');
    assert.match(error.message, /bob\.example\/log/);
  });

  it('rejects a known key’s signature of the wrong length', () => {
    const short = `hello\n\n\u2014 alice.example/log ${Buffer.concat([aliceVerifier.keyId, Buffer.alloc(10)]).toString('base64')}\n`;
    thrownNoteError(() => openNote(short, [aliceVerifier]), 'invalid-signature');
  });

  it('lists a key once when it signed twice, but verifies every copy', () => {
    const note = signNote('hello\n', [aliceSigner]);
    const line = note.slice(note.lastIndexOf('\n\n') + 2);
    const opened = openNote(note + line, [aliceVerifier]);
    assert.equal(opened.verified.length, 1);
    const forged = Buffer.from(line.trim().split(' ')[2] ?? '', 'base64');
    forged[10] = (forged[10] ?? 0) ^ 1;
    const second = `\u2014 alice.example/log ${forged.toString('base64')}\n`;
    thrownNoteError(() => openNote(note + second, [aliceVerifier]), 'invalid-signature');
  });

  it('lists an unknown key once when it signed twice', () => {
    const note = signNote('hello\n', [aliceSigner, bobSigner]);
    const bobLine = note.slice(note.indexOf('\u2014 bob'));
    assert.equal(openNote(note + bobLine, [aliceVerifier]).unverified.length, 1);
  });

  it('rejects two verifiers for the same name and key ID', () => {
    const note = signNote('hello\n', [aliceSigner]);
    thrownNoteError(
      () => openNote(note, [aliceVerifier, parseVerifierKey(alice.verifierKey)]),
      'ambiguous-key',
    );
  });

  it('rejects a note without signatures', () => {
    for (const note of ['hello\n', 'hello\n\n', 'hello', '', '\n\n'])
      thrownNoteError(() => openNote(note, [aliceVerifier]), 'malformed-note');
  });

  it('rejects malformed signature lines', () => {
    const note = signNote('hello\n', [aliceSigner]);
    const text = 'hello\n\n';
    const line = note.slice(text.length, -1); // without its newline
    const sig = line.split(' ')[2] ?? '';
    const shortSig = Buffer.concat([aliceVerifier.keyId]).toString('base64'); // 4 bytes: no signature at all
    const cases = {
      'hyphen instead of em dash': line.replace('\u2014', '-'),
      'en dash instead of em dash': line.replace('\u2014', '\u2013'),
      'no space after the dash': line.replace('\u2014 ', '\u2014'),
      'two spaces after the dash': line.replace('\u2014 ', '\u2014  '),
      'two spaces before the signature': line.replace(' ' + sig, '  ' + sig),
      'trailing space': `${line} `,
      'no signature': '\u2014 alice.example/log',
      'empty signature': '\u2014 alice.example/log ',
      'signature not base64': '\u2014 alice.example/log not*base64',
      'unpadded base64': line.replace(/=+$/, ''),
      'key ID without signature': `\u2014 alice.example/log ${shortSig}`,
      'plus in name': line.replace('alice.example/log', 'alice+example'),
      'no-break space in name': line.replace('alice.example', 'alice\u00a0example'),
      'zero-width space in name': line.replace('alice.example', 'alice\u200bexample'),
      'carriage return': `${line}\r`,
      'empty line among signatures': `${line}\n`,
    };
    for (const [what, bad] of Object.entries(cases))
      assert.throws(
        () => openNote(`${text}${bad}\n`, [aliceVerifier]),
        (e) => e instanceof NoteError && e.code === 'malformed-note',
        what,
      );
    thrownNoteError(() => openNote(note.slice(0, -1), [aliceVerifier]), 'malformed-note');
  });

  it('rejects control characters anywhere in the note', () => {
    for (const bad of ['hel\tlo\n', 'hel\rlo\n', 'hel\u0000lo\n', 'hel\u001blo\n']) {
      const forged = `${bad}\n${signNote('hello\n', [aliceSigner]).split('\n\n')[1]}`;
      thrownNoteError(() => openNote(forged, [aliceVerifier]), 'malformed-note');
    }
  });

  it('accepts 100 signatures and rejects 101', () => {
    const signed = signNote('hello\n', [aliceSigner]);
    const stranger = `\u2014 stranger.example ${Buffer.alloc(68, 7).toString('base64')}\n`;
    const atLimit = signed + stranger.repeat(MAX_SIGNATURES - 1);
    assert.equal(openNote(atLimit, [aliceVerifier]).verified.length, 1);
    thrownNoteError(() => openNote(atLimit + stranger, [aliceVerifier]), 'malformed-note');
  });

  it('rejects notes over 1 MiB, as text or as bytes', () => {
    const big = signNote(`${'x'.repeat(1024 * 1024 - 200)}\n`, [aliceSigner]);
    assert.equal(openNote(big, [aliceVerifier]).verified.length, 1);
    const tooBig = `${'x'.repeat(1024 * 1024)}\n\n${big.slice(big.lastIndexOf('\n\n') + 2)}`;
    thrownNoteError(() => openNote(tooBig, [aliceVerifier]), 'malformed-note');
    thrownNoteError(() => openNote(Buffer.from(tooBig), [aliceVerifier]), 'malformed-note');
  });

  it('signNote refuses text it could not have opened', () => {
    thrownNoteError(() => signNote('no newline', [aliceSigner]), 'malformed-note');
    thrownNoteError(() => signNote('tab\there\n', [aliceSigner]), 'malformed-note');
    thrownNoteError(() => signNote('crlf\r\n', [aliceSigner]), 'malformed-note');
    thrownNoteError(() => signNote('lone \ud800 surrogate\n', [aliceSigner]), 'malformed-note');
    thrownNoteError(() => signNote('hello\n', []), 'malformed-note');
    thrownNoteError(() => signNote(`${'x'.repeat(1024 * 1024)}\n`, [aliceSigner]), 'malformed-note');
    const badName = { name: 'a b', keyId: aliceSigner.keyId, sign: aliceSigner.sign };
    thrownNoteError(() => signNote('hello\n', [badName]), 'malformed-note');
  });
});
