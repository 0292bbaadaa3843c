import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { seal, unseal, rewrap } from '../../src/app/personal-data/envelope.js';
import { rotatePersonalDataKeys } from '../../src/app/personal-data/rotation.js';
import { DomainError } from '../../src/domain/errors.js';
import { readKeyRing, writeKeyRing } from '../../src/main/keys/personal-data-keys.js';
import { isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { admit } from '../support/fixtures.js';
import { startHarness, testStores, type Harness } from '../support/harness.js';

const kek = (version: number) => ({ version, key: randomBytes(32) });
const undecryptable = (error: unknown) =>
  error instanceof DomainError && error.code === 'personal-data-undecryptable';

describe('envelope encryption of personal data', () => {
  const plaintext = Buffer.from('{"email":"li@mail.test","name":"Li Lei"}');
  const v1 = kek(1);
  const byVersion =
    (...keys: { version: number; key: Buffer }[]) =>
    (v: number) =>
      keys.find((k) => k.version === v);

  test('sealed data opens with its party id and key-encryption key only', () => {
    const sealed = seal(plaintext, 'org_a', v1);
    assert.equal(sealed.kekVersion, 1);
    assert.ok(!sealed.ciphertext.includes(Buffer.from('Li Lei')));
    assert.deepEqual(unseal(sealed, 'org_a', byVersion(v1)), plaintext);
    assert.throws(() => unseal(sealed, 'org_b', byVersion(v1)), undecryptable, 'moved to another party');
    assert.throws(() => unseal(sealed, 'org_a', byVersion(kek(1))), undecryptable, 'another key ring');
    assert.throws(() => unseal(sealed, 'org_a', byVersion()), undecryptable, 'its key retired');
    const tampered = { ...sealed, ciphertext: Buffer.from(sealed.ciphertext) };
    tampered.ciphertext[0]! ^= 1;
    assert.throws(() => unseal(tampered, 'org_a', byVersion(v1)), undecryptable, 'altered');
  });

  test('rewrapping moves the data key under another key-encryption key and leaves the ciphertext', () => {
    const sealed = seal(plaintext, 'org_a', v1);
    const v2 = kek(2);
    const rotated = { ...sealed, kekVersion: 2, wrappedKey: rewrap(sealed.wrappedKey, 'org_a', v1, v2) };
    assert.deepEqual(unseal(rotated, 'org_a', byVersion(v2)), plaintext);
    assert.throws(() => rewrap(sealed.wrappedKey, 'org_b', v1, v2), undecryptable);
  });
});

for (const store of testStores)
  describe(`personal-data key rotation (${store.name})`, () => {
    let h: Harness;
    let seller: string;
    let regulator: string;
    before(async () => {
      h = await startHarness({ postgres: store.postgres });
      [seller, regulator] = (await Promise.all([admit(h, ['seller']), admit(h, ['regulator'])])).map(
        (o) => o.key,
      ) as [string, string];
    });
    after(() => h.close());

    const file = () => join(h.dataDir, 'personal-data-keys.json');
    const ringFile = () => ({
      read: () => readKeyRing(file()),
      write: (r: ReturnType<typeof readKeyRing>) => writeKeyRing(file(), r),
    });
    const register = async (name: string) => {
      const created = await h.call('POST', '/v1/persons', {
        key: seller,
        body: { name, email: `${name}@mail.test` },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.id as string;
    };
    const read = (id: string) =>
      h.call('GET', `/v1/persons/${id}/personal-data`, {
        key: regulator,
        headers: { 'robotid-purpose': 'recall' },
      });
    const stored = (id: string) => h.ctx.store.read((r) => r.getPersonalData(id));

    test('the key ring is created on first start, readable by its owner only', () => {
      assert.equal(statSync(file()).mode & 0o777, 0o600);
      assert.deepEqual(readKeyRing(file()).versions(), [1]);
    });

    test('data sealed under v1 still opens after rotation and retiring v1; new data is sealed under v2', async () => {
      const first = await register('first');
      const before = await stored(first);
      assert.equal(before!.kekVersion, 1);

      const report = await rotatePersonalDataKeys(h.ctx.store, ringFile(), {
        retireOld: true,
        now: new Date(),
        batchSize: 1,
      });
      assert.equal(report.newVersion, 2);
      assert.equal(report.rewrapped, 1);
      assert.deepEqual(report.retired, [1]);
      assert.deepEqual(readKeyRing(file()).versions(), [2]);
      assert.equal(statSync(file()).mode & 0o777, 0o600);

      const after = await stored(first);
      assert.equal(after!.kekVersion, 2);
      assert.deepEqual(after!.ciphertext, before!.ciphertext, 'the data itself is not re-encrypted');
      assert.notDeepEqual(after!.wrappedKey, before!.wrappedKey);
      const opened = await read(first);
      assert.equal(opened.status, 200, JSON.stringify(opened.body));
      assert.equal(opened.body.name, 'first');

      const second = await register('second');
      assert.equal((await stored(second))!.kekVersion, 2);
    });

    test("a ciphertext moved into another person's row does not decrypt: a typed problem, not a crash", async () => {
      const a = await register('alice');
      const b = await register('bob');
      const sealedA = (await stored(a))!;
      await h.ctx.store.write((tx) => tx.putPersonalData({ ...sealedA, partyId: b }));
      const swapped = await read(b);
      assert.equal(swapped.status, 503);
      assert.equal(swapped.body.type, 'urn:robotid:problem:personal-data-undecryptable');
      assert.equal((await read(a)).status, 200, 'the original still opens');
    });

    if (!store.postgres)
      test('robotid keys rotate-personal-data rotates beside a running server; person add / erase over the API', async () => {
        await h.app.listen({ port: 0, host: '127.0.0.1' });
        const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
        const home = tempHome();
        const env = (key?: string) => isolatedEnv(home, { ROBOTID_URL: url, ROBOTID_API_KEY: key });

        const added = await runCli(
          ['person', 'add', '--name', 'Wang Fang', '--phone', '+86 139 0000 0000', '--json'],
          env(seller),
        );
        assert.equal(added.code, 0, added.stderr);
        const id = JSON.parse(added.stdout).id as string;
        const versionBefore = readKeyRing(file()).newest().version;

        const rotated = await runCli(
          ['keys', 'rotate-personal-data', '--data-dir', h.dataDir, '--retire-old', '--json'],
          env(),
        );
        assert.equal(rotated.code, 0, rotated.stderr);
        const report = JSON.parse(rotated.stdout);
        assert.equal(report.newVersion, versionBefore + 1);
        assert.equal(report.unreadable.length, 1, 'the row altered above is named, and holds no key back');
        assert.deepEqual(readKeyRing(file()).versions(), [versionBefore + 1]);
        const shown = await runCli(['--why', 'inspection', 'person', 'show', id, '--json'], env(regulator));
        assert.equal(shown.code, 0, shown.stderr);
        assert.equal(JSON.parse(shown.stdout).name, 'Wang Fang');

        const erased = await runCli(
          ['person', 'erase', id, '--legal-basis', 'PIPL art. 47', '--reference', 'DSR-7'],
          env(regulator),
        );
        assert.equal(erased.code, 0, erased.stderr);
        const after = await runCli(['--why', 'inspection', 'person', 'show', id], env(regulator));
        assert.equal(after.code, 3, 'gone: exit code 3');
        assert.match(after.stderr, /erased/);
        assert.ok(!readFileSync(file(), 'utf8').includes('Wang Fang'));
      });
  });
