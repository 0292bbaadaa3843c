import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { announce } from '../../src/app/notifications/announce.js';
import { deliverDue } from '../../src/app/notifications/deliver.js';
import { dispatchNotices } from '../../src/app/notifications/dispatch.js';
import { expectExit, runCli, servedRegistry } from '../support/cli.js';
import { admit } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

describe('robotid CLI: subscriptions and deliveries', () => {
  let registry: Awaited<ReturnType<typeof servedRegistry>>;
  let h: Harness;
  let operator: Awaited<ReturnType<typeof admit>>;
  let other: Awaited<ReturnType<typeof admit>>;
  let hook: WebhookReceiver;
  const as = (key: string) => registry.as(key);

  before(async () => {
    registry = await servedRegistry();
    h = registry.h;
    // One attempt only: a failure is a dead letter at once.
    h.ctx.notifications = { ...h.ctx.notifications!, retryDelaysMs: [], timeoutMs: 2000 };
    operator = await admit(h, ['operator']);
    other = await admit(h, ['operator']);
    hook = await WebhookReceiver.on(() => ({ status: 500 }));
    await hook.start();
  });
  after(async () => {
    await hook.stop();
    await registry.close();
  });

  test('subscription add, list and remove; someone else’s cannot be removed', async () => {
    const bad = await runCli(
      ['subscription', 'add', 'http://example.com/x', '--topic', 'robot.suspended'],
      as(operator.key),
    );
    expectExit(bad, 2);
    assert.match(bad.stderr, /loopback/);
    const added = await runCli(
      ['subscription', 'add', hook.url, '--topic', 'robot.suspended', '--topic', 'recall.opened'],
      as(operator.key),
    );
    expectExit(added, 0);
    const id = /Subscribed (sub_[a-z2-7]{16})/.exec(added.stdout)?.[1];
    assert.ok(id, added.stdout);
    assert.match(added.stdout, /whsec_[A-Za-z0-9+/]{43}=/);
    const listed = await runCli(['subscription', 'list'], as(operator.key));
    expectExit(listed, 0);
    assert.match(
      listed.stdout,
      new RegExp(`${id}\\s+${hook.url.replace(/\./g, '\\.')}\\s+robot\\.suspended,recall\\.opened`),
    );
    expectExit(await runCli(['subscription', 'remove', id], as(other.key)), 3);
    const removed = await runCli(['subscription', 'remove', id], as(operator.key));
    expectExit(removed, 0);
    assert.match(removed.stdout, new RegExp(`Removed subscription ${id}`));
    const empty = await runCli(['subscription', 'list'], as(operator.key));
    assert.doesNotMatch(empty.stdout, new RegExp(id));
  });

  test('deliveries --dead lists the dead letters, show prints the log, redeliver queues one again', async () => {
    const added = await runCli(
      ['--json', 'subscription', 'add', hook.url, '--topic', 'robot.suspended'],
      as(operator.key),
    );
    expectExit(added, 0);
    const sub = JSON.parse(added.stdout) as { id: string };
    await h.ctx.store.write((tx) =>
      announce(tx, new Date().toISOString(), [
        { topic: 'robot.suspended', audience: [operator.org.id], robotId: null, data: {} },
      ]),
    );
    await dispatchNotices(h.ctx);
    await deliverDue(h.ctx);

    const dead = await runCli(['deliveries', '--dead'], as(operator.key));
    expectExit(dead, 0);
    const id = new RegExp(`(msg_[a-z2-7]{16})\\s+${sub.id}\\s+\\d+\\s+dead\\s+1\\s+HTTP 500`).exec(
      dead.stdout,
    )?.[1];
    assert.ok(id, dead.stdout);
    const none = await runCli(['deliveries', '--dead'], as(other.key));
    expectExit(none, 0);
    assert.doesNotMatch(none.stdout, new RegExp(id));

    const shown = await runCli(['deliveries', 'show', id], as(operator.key));
    expectExit(shown, 0);
    assert.match(shown.stdout, /1\s+\S+ \S+\s+\d+ ms\s+500\s+HTTP 500/);

    hook.behaviour = () => ({ status: 200 });
    const again = await runCli(['deliveries', 'redeliver', id], as(operator.key));
    expectExit(again, 0);
    assert.match(again.stdout, new RegExp(`Delivery ${id} is queued again`));
    expectExit(await runCli(['deliveries', 'redeliver', id], as(operator.key)), 5);
    await deliverDue(h.ctx);
    const delivered = await runCli(
      ['deliveries', '--state', 'delivered', '--subscription', sub.id],
      as(operator.key),
    );
    expectExit(delivered, 0);
    assert.match(delivered.stdout, new RegExp(`${id}\\s+${sub.id}\\s+\\d+\\s+delivered\\s+1\\s+200`));
  });
});
