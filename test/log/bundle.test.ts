import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_V1, bundleHeads, verifyBundle } from '../../src/log/bundle.js';
import { formatCheckpoint } from '../../src/log/checkpoint.js';
import { leafHash, nodeHash } from '../../src/log/hash.js';
import { headsLine, mapKey, mapProof, updateMap, type MapNode } from '../../src/log/heads-map.js';
import { commitment, leafText, type LeafLink } from '../../src/log/leaf.js';
import { generateSigner, parseSignerKey, parseVerifierKey, signNote } from '../../src/log/note.js';
import { inclusionProof, treeRoot } from '../../src/log/proofs.js';

const [A, B] = ['CN0001W1NK2AR00000000000000001', 'CN0001W1NK2AR00000000000000002'];

/** A log of one registry upgraded in the middle: version 1 leaves, then version 2 leaves chained per robot. */
const entries: { robotId: string; link: LeafLink }[] = [
  { robotId: A, link: { v: 1 } },
  { robotId: B, link: { v: 1 } },
  { robotId: A, link: { v: 1 } },
  { robotId: A, link: { v: 2, prev: 2 } },
  { robotId: B, link: { v: 2, prev: 1 } },
  { robotId: A, link: { v: 2, prev: 3 } },
];

async function registry() {
  const pair = generateSigner('registry.test/robotid-log');
  const key = parseVerifierKey(pair.verifierKey);
  const records = entries.map((e, i) =>
    JSON.stringify({ eventId: `e${i}`, robotId: e.robotId, type: 'serviced' }),
  );
  const salts = entries.map((_, i) => Buffer.alloc(16, i));
  const leaves = entries.map((e, i) =>
    leafHash(Buffer.from(leafText(e.robotId, commitment(salts[i]!, records[i]!), e.link))),
  );
  const node = (level: number, index: number): Buffer =>
    level === 0 ? leaves[index]! : nodeHash(node(level - 1, 2 * index), node(level - 1, 2 * index + 1));
  const size = leaves.length;
  const stored = new Map<string, MapNode>();
  const read = async (paths: string[]) =>
    new Map(paths.flatMap((p) => (stored.has(p) ? [[p, stored.get(p)!] as const] : [])));
  const { root, writes } = await updateMap(read, [
    { key: mapKey(A), added: 4, head: 5 },
    { key: mapKey(B), added: 2, head: 4 },
  ]);
  for (const [p, n] of writes) stored.set(p, n);
  const signed = (extensions: string[]) =>
    signNote(formatCheckpoint({ origin: key.name, size, rootHash: treeRoot(size, node), extensions }), [
      parseSignerKey(pair.signerKey),
    ]);
  const bundle = async (format: string, robotId: string) => ({
    format,
    robotId,
    checkpoint: signed(format === BUNDLE_FORMAT ? [headsLine(root)] : []),
    events: entries.flatMap((e, i) =>
      e.robotId === robotId
        ? [
            {
              leafIndex: i,
              ...(format === BUNDLE_FORMAT ? { leaf: e.link } : {}),
              record: records[i]!,
              salt: salts[i]!.toString('base64'),
              proof: inclusionProof(i, size, node).map((h) => h.toString('base64')),
            },
          ]
        : [],
    ),
    ...(format === BUNDLE_FORMAT
      ? { heads: bundleHeads(robotId, await mapProof(read, mapKey(robotId))) }
      : {}),
  });
  return { key, bundle };
}

describe('proof bundles over version 1 and version 2 leaves', () => {
  it('a v1 bundle verifies its events but says it cannot prove completeness', async () => {
    const { key, bundle } = await registry();
    const v1 = { ...(await bundle(BUNDLE_FORMAT_V1, B)), events: [] as unknown[] };
    const full = await bundle(BUNDLE_FORMAT_V1, B);
    v1.events = full.events.filter((e) => e.leafIndex === 1);
    const report = verifyBundle(JSON.stringify(v1), key);
    assert.equal(report.ok, true, JSON.stringify(report));
    assert.equal(report.completeness, 'not-provable');
  });

  it('a v2 bundle whose history begins with v1 leaves proves it complete; one without a v1 event fails on the count', async () => {
    const { key, bundle } = await registry();
    const whole = await bundle(BUNDLE_FORMAT, A);
    const report = verifyBundle(JSON.stringify(whole), key);
    assert.equal(report.ok, true, JSON.stringify(report.problems));
    assert.equal(report.completeness, 'proven');
    const shortened = { ...whole, events: whole.events.filter((e) => e.leafIndex !== 0) };
    const refused = verifyBundle(JSON.stringify(shortened), key);
    assert.equal(refused.ok, false);
    assert.deepEqual(refused.problems, [
      'completeness: the log holds 4 events of this robot at checkpoint 6, the bundle 3',
    ]);
    const noHeads = verifyBundle(JSON.stringify({ ...whole, heads: undefined }), key);
    assert.match(noHeads.problems.join(), /heads: missing/);
  });

  it('the heads of another robot do not pass for the bundle’s', async () => {
    const { key, bundle } = await registry();
    const a = await bundle(BUNDLE_FORMAT, A);
    const b = await bundle(BUNDLE_FORMAT, B);
    const report = verifyBundle(JSON.stringify({ ...a, heads: b.heads }), key);
    assert.equal(report.ok, false);
    assert.match(report.problems.join(), /heads proof/);
  });
});
