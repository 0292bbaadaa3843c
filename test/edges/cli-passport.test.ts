import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateSigner } from '../../src/log/note.js';
import { makeDisclosure } from '../../src/passport/sd-jwt.js';
import { expectExit, isolatedEnv, runCli, tempHome } from '../support/cli.js';
import { startHarness, type Harness } from '../support/harness.js';
import { intoUse, supplyChain, type SupplyChain } from '../support/lifecycle.js';

/** Every part of an SD-JWT decoded from base64url, joined: what anyone holding it could read. */
const decodeAll = (sdJwt: string) =>
  sdJwt
    .split(/[~.]/)
    .map((part) => Buffer.from(part, 'base64url').toString('utf8'))
    .join('\n');

describe('robotid CLI: passport and verify', () => {
  let h: Harness;
  let c: SupplyChain;
  let home: string;
  let dir: string;
  let logKey: string;
  const env = () => isolatedEnv(home, { ROBOTID_URL: url });
  let url: string;
  const verify = (file: string, key = logKey) =>
    runCli(['verify', file, '--log-key', key], isolatedEnv(home));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  before(async () => {
    h = await startHarness();
    c = await supplyChain(h, 2);
    for (const robot of c.robots) await intoUse(h, c, robot);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    home = tempHome();
    dir = mkdtempSync(join(tmpdir(), 'robotid-cli-passport-'));
    logKey = h.ctx.log.verifierKey;
  });
  after(async () => {
    await h.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test('--list names the claims the passport can disclose', async () => {
    const listed = await runCli(['passport', c.robots[0]!, '--list'], env());
    expectExit(listed, 0);
    assert.deepEqual(listed.stdout.trim().split('\n'), [
      'manufacturer',
      'model',
      'productionMonth',
      'state',
      'certification',
      'stopUse',
      'recalls',
    ]);
    const unknown = await runCli(['passport', c.robots[0]!, '--disclose', 'state,owner'], env());
    expectExit(unknown, 2);
    assert.match(unknown.stderr, /the passport has no claim owner/);
  });

  test('a passport disclosing only its state verifies offline and shows nothing else', async () => {
    const file = join(dir, 'state.sd-jwt');
    const fetched = await runCli(['passport', c.robots[0]!, '--disclose', 'state', '--out', file], env());
    expectExit(fetched, 0);
    assert.match(fetched.stdout, /wrote .*state\.sd-jwt: discloses state \(1 of 7\)/);
    const presentation = readFileSync(file, 'utf8');
    assert.equal(presentation.split('~').length, 3, 'the JWT, one disclosure, and the closing "~"');
    const readable = decodeAll(presentation);
    for (const secret of [c.maker.org.name, c.maker.model.name, 'GB/T 12643', '2026-01', '"valid"'])
      assert.ok(!readable.includes(secret), `${secret} is not in the presentation`);

    const ok = await verify(file);
    expectExit(ok, 0);
    assert.match(ok.stdout, new RegExp(`passport of robot ${c.robots[0]}, issued by https://registry.test`));
    assert.match(ok.stdout, /checkpoint: .*, tree size 12, signature valid/);
    assert.match(ok.stdout, /disclosed:\n {2}state {2}in_use\n/);
    assert.match(
      ok.stdout,
      /withheld: manufacturer, model, productionMonth, certification, stopUse, recalls\n/,
    );
    assert.match(ok.stdout, /VERIFIED: .* 1 disclosed claim\(s\); 6 withheld/);
    assert.ok(!ok.stdout.includes(c.maker.org.name), 'the manufacturer is not shown');
  });

  test('a changed disclosure, a swapped signature or another registry’s key: exit 1, naming why', async () => {
    const all = await runCli(['passport', c.robots[0]!], env());
    expectExit(all, 0);
    const issued = all.stdout.trim();
    expectExit(await verify(write('all.sd-jwt', issued)), 0);
    const [jwt, ...disclosures] = issued.split('~');
    const state = disclosures.find((d) => decodeAll(d).includes('"state"'))!;

    const forged = makeDisclosure('state', 'recycled');
    const changed = await verify(write('changed.sd-jwt', [jwt, forged, ''].join('~')));
    expectExit(changed, 1);
    assert.match(
      changed.stderr,
      /FAILED: disclosure 1 \("state"\): its digest .* is not in the signed _sd list/,
    );
    assert.match(changed.stdout, /NOT VERIFIED: 1 problem\(s\) with the passport/);
    assert.ok(!changed.stdout.includes('recycled'), 'an unverified value is not printed');

    const other = (await runCli(['passport', c.robots[1]!, '--disclose', ''], env())).stdout.trim();
    const otherSignature = other.split('~')[0]!.split('.')[2]!;
    const swapped = `${jwt!.slice(0, jwt!.lastIndexOf('.'))}.${otherSignature}~${state}~`;
    const badSignature = await verify(write('swapped.sd-jwt', swapped));
    expectExit(badSignature, 1);
    assert.equal(badSignature.stderr, 'FAILED: signature: does not verify with the key\n');

    const foreign = generateSigner(h.ctx.log.origin).verifierKey;
    const wrongKey = await verify(join(dir, 'state.sd-jwt'), foreign);
    expectExit(wrongKey, 1);
    assert.match(wrongKey.stderr, /FAILED: signature: does not verify with the key\n/);
    assert.match(
      wrongKey.stderr,
      /FAILED: JWT header: kid ".*" is not the given key .* \(signed by another key\?\)/,
    );
    assert.match(wrongKey.stderr, /FAILED: checkpoint: note has no signature from a known key/);
  });

  test('the key as the registry publishes it for SD-JWT VC: its issuer metadata or JWK Set, as a file', async () => {
    const file = write(
      'all-for-metadata.sd-jwt',
      (await runCli(['passport', c.robots[0]!], env())).stdout.trim(),
    );
    const metadata = (await h.call('GET', '/.well-known/jwt-vc-issuer')).body as Record<string, unknown>;
    const viaMetadata = await verify(file, write('jwt-vc-issuer.json', JSON.stringify(metadata)));
    expectExit(viaMetadata, 0);
    assert.match(viaMetadata.stdout, /format: SD-JWT VC, valid until \d{4}-/);
    const jwks = write('jwks.json', JSON.stringify(metadata.jwks));
    expectExit(await verify(file, jwks), 0);

    const elsewhere = write(
      'elsewhere.json',
      JSON.stringify({ ...metadata, issuer: 'https://elsewhere.test' }),
    );
    const wrongIssuer = await verify(file, elsewhere);
    expectExit(wrongIssuer, 1);
    assert.match(wrongIssuer.stderr, /FAILED: claim "iss": "https:\/\/registry\.test" is not the issuer/);
    const notAKey = await verify(file, write('empty.json', '{"keys": []}'));
    expectExit(notAKey, 2);
    assert.match(notAKey.stderr, /the JWK Set holds 0 keys/);
  });

  test('a passport issued before SD-JWT VC (vnd.robotid typ, EdDSA) verifies, labelled as legacy', async () => {
    const issued = (await runCli(['passport', c.robots[0]!], env())).stdout.trim();
    const [jwt, ...disclosures] = issued.split('~');
    const {
      vct: _vct,
      'vct#integrity': _integrity,
      exp: _exp,
      ...legacyClaims
    } = JSON.parse(Buffer.from(jwt!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const header = {
      typ: 'vnd.robotid.passport+sd-jwt',
      kid: JSON.parse(decodeAll(jwt!.split('.')[0]!)).kid,
      alg: 'EdDSA',
    };
    const input = [header, legacyClaims]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.');
    const signature = h.ctx.log.signer.sign(Buffer.from(input)).toString('base64url');
    const legacy = await verify(write('legacy.sd-jwt', [`${input}.${signature}`, ...disclosures].join('~')));
    expectExit(legacy, 0);
    assert.match(legacy.stdout, /format: legacy \(issued before SD-JWT VC/);
  });
});
