import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { leafHash, nodeHash, splitPoint } from '../../../src/log/hash.js';
import { parseCheckpoint } from '../../../src/log/checkpoint.js';
import {
  cosign,
  generateWitnessKey,
  parseWitnessSignerKey,
  parseWitnessVerifierKey,
} from '../../../src/log/cosignature.js';
import { generateSigner, openNote, parseVerifierKey } from '../../../src/log/note.js';
import { verifyBundle } from '../../../src/log/bundle.js';
import { verifyConsistency, verifyInclusion } from '../../../src/log/verify.js';
import { startHarness, testStores, type Harness } from '../../support/harness.js';
import { event, intoUse, report, supplyChain, type SupplyChain } from '../../support/lifecycle.js';

const b64 = (s: string) => Buffer.from(s, 'base64');

/** MTH from the RFC's definition over leaf hashes: what a tlog-tiles client computes from a level-0 tile. */
function rootOf(hashes: Buffer[]): Buffer {
  if (hashes.length === 1) return hashes[0]!;
  const k = splitPoint(hashes.length);
  return nodeHash(rootOf(hashes.slice(0, k)), rootOf(hashes.slice(k)));
}

for (const store of testStores)
  describe(`transparency log over HTTP (${store.name})`, () => {
    let h: Harness;
    let c: SupplyChain;
    let key: ReturnType<typeof parseVerifierKey>;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      c = await supplyChain(h, 3);
      key = parseVerifierKey(String((await h.call('GET', '/v1/log/key')).body).trim());
      await intoUse(h, c, c.robots[0]!);
    });
    after(() => h.close());

    const eventCount = () => h.ctx.store.read((r) => r.logSize());
    const signNow = async () => {
      const res = await h.call('POST', '/v1/log/checkpoints', { key: c.regulator.key });
      assert.equal(res.status, 201);
      return res.body as { size: number; rootHash: string; note: string };
    };
    const latest = async () => {
      const res = await h.call('GET', '/v1/log/checkpoint');
      assert.match(String(res.headers['content-type']), /^text\/plain/);
      return parseCheckpoint(openNote(res.body as string, [key]).text);
    };

    test('every accepted event is a leaf, and the signed checkpoint covers them all', async () => {
      const signed = await signNow();
      assert.equal(signed.size, 6);
      assert.equal(await eventCount(), 6);
      const checkpoint = await latest();
      assert.equal(checkpoint.origin, key.name);
      assert.equal(checkpoint.size, 6);
      assert.equal(checkpoint.rootHash.toString('base64'), signed.rootHash);
    });

    test('a leaf’s inclusion proof checks out against the checkpoint, and the leaf reveals no payload', async () => {
      const checkpoint = await latest();
      const { body } = await h.call('GET', '/v1/log/leaves?start=0&end=6');
      assert.equal(body.leaves.length, 6);
      for (const { index, leaf } of body.leaves) {
        assert.deepEqual(Object.keys(JSON.parse(leaf)), ['commitment', 'prev', 'robotId', 'v']);
        const proof = await h.call(
          'GET',
          `/v1/log/proofs/inclusion?leafIndex=${index}&treeSize=${checkpoint.size}`,
        );
        assert.equal(proof.status, 200);
        verifyInclusion(
          index,
          checkpoint.size,
          leafHash(Buffer.from(leaf)),
          proof.body.proof.map(b64),
          checkpoint.rootHash,
        );
      }
      assert.equal(JSON.stringify(body).includes(c.operator.org.id), false, 'the operator is not in the log');
    });

    test('proofs by event follow history access: the manufacturer gets one, a stranger a 404', async () => {
      const history = await h.call('GET', `/v1/robots/${c.robots[0]}/events`, { key: c.maker.key });
      const first = history.body.events[0];
      const url = `/v1/robots/${c.robots[0]}/events/${first.eventId}/inclusion-proof`;
      const mine = await h.call('GET', url, { key: c.maker.key });
      assert.equal(mine.status, 200);
      assert.equal(mine.body.leafIndex, first.seq - 1);
      assert.equal((await h.call('GET', url, { key: c.recycler.key })).status, 404);
      assert.equal((await h.call('GET', url)).status, 401);
    });

    test('a later checkpoint is consistent with an earlier one', async () => {
      const before = await latest();
      await intoUse(h, c, c.robots[1]!);
      const after = await signNow();
      assert.equal(after.size, 12);
      const res = await h.call('GET', `/v1/log/proofs/consistency?from=${before.size}&to=${after.size}`);
      verifyConsistency(
        before.size,
        after.size,
        res.body.proof.map(b64),
        before.rootHash,
        b64(after.rootHash),
      );
    });

    test('bad proof requests get precise 400s', async () => {
      const size = await eventCount();
      const beyond = await h.call('GET', `/v1/log/proofs/inclusion?leafIndex=0&treeSize=${size + 1}`);
      assert.equal(beyond.status, 400);
      assert.equal(beyond.body.errors[0].field, 'treeSize');
      const fromZero = await h.call('GET', '/v1/log/proofs/consistency?from=0&to=3');
      assert.equal(fromZero.status, 400);
      assert.equal(fromZero.body.errors[0].field, 'from');
      const tooMany = await h.call('GET', '/v1/log/leaves?start=0&end=5000');
      assert.equal(tooMany.status, 400);
    });

    test('tlog-tiles: the entry bundle and level-0 tile give the same leaves and root as the API', async () => {
      const checkpoint = await latest();
      const width = checkpoint.size;
      const entries = await h.app.inject({ url: `/tlog/tile/entries/000.p/${width}` });
      assert.equal(entries.statusCode, 200);
      const bytes = entries.rawPayload;
      const leaves: Buffer[] = [];
      for (let at = 0; at < bytes.length;) {
        const length = bytes.readUInt16BE(at);
        leaves.push(bytes.subarray(at + 2, at + 2 + length));
        at += 2 + length;
      }
      assert.equal(leaves.length, width);
      const tile = await h.app.inject({ url: `/tlog/tile/0/000.p/${width}` });
      assert.equal(tile.statusCode, 200);
      const hashes = Array.from({ length: width }, (_, i) => tile.rawPayload.subarray(i * 32, i * 32 + 32));
      assert.deepEqual(
        hashes,
        leaves.map((l) => leafHash(l)),
      );
      assert.ok(rootOf(hashes).equals(checkpoint.rootHash));
      assert.equal((await h.app.inject({ url: '/tlog/tile/0/000' })).statusCode, 404, 'not full yet');
      assert.equal(
        (await h.app.inject({ url: '/tlog/tile/0/0' })).statusCode,
        404,
        'not the spec’s spelling',
      );
      // Entry bundles are sent gzipped to a client that accepts it (C2SP tlog-tiles SHOULD), as is otherwise.
      const url = `/tlog/tile/entries/000.p/${width}`;
      const zipped = await h.app.inject({ url, headers: { 'accept-encoding': 'br;q=1, gzip;q=0.5' } });
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.equal(zipped.headers.vary, 'accept-encoding');
      assert.ok(gunzipSync(zipped.rawPayload).equals(bytes));
      const refused = await h.app.inject({ url, headers: { 'accept-encoding': 'gzip;q=0, identity' } });
      assert.equal(refused.headers['content-encoding'], undefined);
      assert.ok(refused.rawPayload.equals(bytes));
      const hashTile = await h.app.inject({
        url: `/tlog/tile/0/000.p/${width}`,
        headers: { 'accept-encoding': 'gzip' },
      });
      assert.equal(
        hashTile.headers['content-encoding'],
        undefined,
        'hash tiles are random bytes: not compressed',
      );
      const checkpointText = await h.app.inject({ url: '/tlog/checkpoint' });
      assert.equal(parseCheckpoint(openNote(checkpointText.body, [key]).text).size, checkpoint.size);
    });

    test('a proof bundle verifies offline, and every kind of tampering is named', async () => {
      const res = await h.call('GET', `/v1/robots/${c.robots[0]}/proof-bundle`, { key: c.operator.key });
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-disposition']), /robotid-proof\.json/);
      const text = JSON.stringify(res.body);
      const good = verifyBundle(text, key);
      assert.equal(good.ok, true, JSON.stringify(good));
      assert.equal(good.events.length, 6);

      const bundle = JSON.parse(text);
      bundle.events[2].record = bundle.events[2].record.replace('"late":false', '"late":true');
      const edited = verifyBundle(JSON.stringify(bundle), key);
      assert.equal(edited.ok, false);
      assert.deepEqual(
        edited.events.map((e) => e.problem === null),
        [true, true, false, true, true, true],
      );
      assert.match(edited.events[2]!.problem!, /leads to root/);

      // A key of the same name that the registry does not hold: an impostor's checkpoint.
      const stranger = parseVerifierKey(generateSigner(key.name).verifierKey);
      const wrongKey = verifyBundle(text, stranger);
      assert.equal(wrongKey.ok, false);
      assert.match(wrongKey.problems.join(), /signature|key/);

      const forged = JSON.parse(text);
      forged.checkpoint = forged.checkpoint.replace(/\n\d+\n/, '\n99\n');
      assert.equal(verifyBundle(JSON.stringify(forged), key).ok, false);
      assert.equal(verifyBundle('{"format":"something else"}', key).problems.length, 1);
      assert.equal(
        (await h.call('GET', `/v1/robots/${c.robots[0]}/proof-bundle`, { key: c.recycler.key })).status,
        404,
      );
    });

    test('a bundle proves the history complete: one with an event removed, reordered or foreign is refused', async () => {
      const get = async (robot: string) =>
        (await h.call('GET', `/v1/robots/${robot}/proof-bundle`, { key: c.operator.key })).body as {
          events: { leafIndex: number }[];
          heads: { count: number };
        };
      const bundle = await get(c.robots[0]!);
      const good = verifyBundle(JSON.stringify(bundle), key);
      assert.equal(good.completeness, 'proven', JSON.stringify(good.problems));
      assert.equal(bundle.heads.count, 6);
      const size = good.checkpoint!.size;
      const leaves = bundle.events.map((e) => e.leafIndex);
      const refused = (events: unknown[], ...expected: RegExp[]) => {
        const report = verifyBundle(JSON.stringify({ ...bundle, events }), key);
        assert.equal(report.ok, false);
        assert.equal(report.completeness, 'failed');
        for (const pattern of expected) assert.match(report.problems.join('\n'), pattern);
        return report;
      };
      const without = (i: number) => bundle.events.filter((_, j) => j !== i);
      const fewer = new RegExp(
        `completeness: the log holds 6 events of this robot at checkpoint ${size}, the bundle 5`,
      );
      refused(without(0), fewer, new RegExp(`leaf ${leaves[0]} is missing`));
      refused(without(3), fewer, new RegExp(`leaf ${leaves[3]} is missing`));
      refused(without(5), fewer, new RegExp(`leaf ${leaves[5]}, its latest, is missing`));
      const swapped = [...bundle.events];
      [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
      refused(swapped, /increasing leaf order/, new RegExp(`leaf ${leaves[1]} follows leaf ${leaves[0]}`));
      // Another robot's event, with its valid inclusion proof against the same checkpoint.
      const other = await get(c.robots[1]!);
      assert.equal(verifyBundle(JSON.stringify(other), key).checkpoint!.size, size);
      const foreign = [...bundle.events, other.events[other.events.length - 1]!].sort(
        (a, b) => a.leafIndex - b.leafIndex,
      );
      const report = refused(foreign, /the log holds 6 events of this robot at checkpoint \d+, the bundle 7/);
      assert.match(report.events.find((e) => e.problem)!.problem!, /about robot/);
      const noHeads = verifyBundle(JSON.stringify({ ...bundle, heads: { ...bundle.heads, count: 5 } }), key);
      assert.match(noHeads.problems.join(), /heads proof/);
    });

    test('a known witness’s cosignature is kept and served with the checkpoint; an unknown one is refused', async () => {
      const witness = generateWitnessKey('witness.example/industry-association');
      h.ctx.log.witnesses.push(parseWitnessVerifierKey(witness.verifierKey));
      const note = (await h.call('GET', '/v1/log/checkpoint')).body as string;
      const body = openNote(note, [key]).text;
      const line = cosign(body, parseWitnessSignerKey(witness.signerKey), Math.floor(Date.now() / 1000));
      const accepted = await h.call('POST', '/v1/log/cosignatures', { body: { note: note + line } });
      assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
      assert.deepEqual(accepted.body.witnesses, ['witness.example/industry-association']);
      const served = (await h.call('GET', '/v1/log/checkpoint')).body as string;
      const opened = openNote(served, [key, parseWitnessVerifierKey(witness.verifierKey)]);
      assert.equal(opened.verified.length, 2);

      const unknown = generateWitnessKey('someone.else/witness');
      const other = cosign(body, parseWitnessSignerKey(unknown.signerKey), Math.floor(Date.now() / 1000));
      const refused = await h.call('POST', '/v1/log/cosignatures', { body: { note: note + other } });
      assert.equal(refused.status, 400);
      assert.match(refused.body.type, /no-known-cosignature/);
    });

    test('a proof for an event newer than the latest checkpoint comes with a checkpoint that covers it', async () => {
      const serviced = event('serviced', c.robots[0]!, { kind: 'maintenance', description: 'oil' });
      const recorded = await report(h, c.operator.key, [serviced]);
      assert.equal(recorded.status, 201);
      const { seq, eventId } = recorded.body.results[0];
      const proof = await h.call('GET', `/v1/robots/${c.robots[0]}/events/${eventId}/inclusion-proof`, {
        key: c.operator.key,
      });
      assert.equal(proof.status, 200);
      const checkpoint = await latest();
      assert.equal(proof.body.treeSize, checkpoint.size);
      assert.ok(checkpoint.size >= seq);
      verifyInclusion(
        seq - 1,
        checkpoint.size,
        b64(proof.body.leafHash),
        proof.body.proof.map(b64),
        checkpoint.rootHash,
      );
    });
  });
