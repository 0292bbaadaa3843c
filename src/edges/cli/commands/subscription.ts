/** `robotid subscription` and `robotid deliveries`: webhooks for notices, and their delivery log (over the API). */
import { Option, type Command } from 'commander';
import type { Query, RequestBody } from '../api-types.js';
import { NOTICE_TOPICS } from '../../../domain/safety/notices.js';
import { CliContext } from '../context.js';
import { err, fields, out, printJson, table } from '../output.js';
import { listPages } from '../paging.js';

const idParams = (id: string) => ({ path: { id } });
const when = (iso: string | null) => (iso === null ? '-' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));
const outcome = (d: { lastStatus: number | null; lastError: string | null }) =>
  d.lastStatus !== null && d.lastStatus >= 200 && d.lastStatus < 300
    ? String(d.lastStatus)
    : (d.lastError ?? (d.lastStatus === null ? '-' : String(d.lastStatus)));

const collect = (value: string, previous: string[] = []) => [...previous, value];

type DeliveryState = Query<'/v1/deliveries'>['state'];

export function registerSubscription(program: Command) {
  const subscription = program
    .command('subscription')
    .description('webhooks that receive the notices concerning your organisation (docs/notifications.md)');

  subscription
    // The URL is an argument: --url is the global option naming the registry.
    .command('add <url>')
    .description(
      'subscribe a webhook URL (https; plain http only to localhost) to notice topics; prints the signing secret once',
    )
    .addOption(
      new Option('--topic <topic>', 'a topic (repeat for several)')
        .choices(NOTICE_TOPICS)
        .argParser(collect)
        .makeOptionMandatory(),
    )
    .action(
      async (
        url: string,
        opts: { topic: RequestBody<'/v1/subscriptions', 'post'>['topics'] },
        cmd: Command,
      ) => {
        const ctx = CliContext.of(cmd);
        const created = await ctx
          .client()
          .call((api) => api.POST('/v1/subscriptions', { body: { url, topics: opts.topic } }), {
            auth: 'required',
          });
        if (ctx.json) return printJson(created);
        out(
          [
            `Subscribed ${created.id}: ${created.topics.join(', ')} → ${created.url}`,
            '',
            `    ${created.secret}`,
            '',
            'This signing secret is shown once. Verify each delivery with it (webhook-signature, Standard Webhooks).',
          ].join('\n'),
        );
      },
    );

  subscription
    .command('list')
    .description("your organisation's subscriptions")
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const { items } = await ctx.client().call((api) => api.GET('/v1/subscriptions'), { auth: 'required' });
      if (ctx.json) return printJson(items);
      if (items.length === 0) return err('no subscriptions');
      out(
        table(
          ['ID', 'URL', 'TOPICS', 'CREATED'],
          items.map((s) => [s.id, s.url, s.topics.join(','), when(s.createdAt)]),
        ),
      );
    });

  subscription
    .command('remove <id>')
    .description('remove a subscription; its pending deliveries end as dead')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const removed = await ctx
        .client()
        .call((api) => api.DELETE('/v1/subscriptions/{id}', { params: idParams(id) }), { auth: 'required' });
      if (ctx.json) return printJson(removed);
      out(`Removed subscription ${removed.id} at ${when(removed.removedAt)}.`);
    });

  const deliveries = program
    .command('deliveries')
    .description('webhook deliveries and their attempts (regulators and the administrator: everyone’s)');

  deliveries
    .command('list', { isDefault: true })
    .description('deliveries, oldest first (the default)')
    .option('--dead', 'the dead letters only (same as --state dead)')
    .addOption(new Option('--state <state>', 'only in this state').choices(['pending', 'delivered', 'dead']))
    .option('--subscription <id>', "only this subscription's")
    .option('--all', 'every page, not just the first')
    .action(
      async (
        opts: { dead?: boolean; state?: DeliveryState; subscription?: string; all?: boolean },
        cmd: Command,
      ) => {
        const ctx = CliContext.of(cmd);
        const { subscription } = opts;
        const state = opts.dead ? 'dead' : opts.state;
        const client = ctx.client();
        const page = await listPages(opts.all === true, (page) =>
          client.call(
            (api) =>
              subscription
                ? api.GET('/v1/subscriptions/{id}/deliveries', {
                    params: { ...idParams(subscription), query: { state, ...page } },
                  })
                : api.GET('/v1/deliveries', { params: { query: { state, ...page } } }),
            { auth: 'required' },
          ),
        );
        if (ctx.json) return printJson(page);
        if (page.items.length === 0) return err('no deliveries');
        const rows = page.items.map((d) => [
          d.id,
          d.subscriptionId,
          String(d.noticeId),
          d.state,
          String(d.attempts),
          outcome(d),
          when(d.state === 'pending' ? d.nextAttemptAt : d.updatedAt),
        ]);
        out(table(['ID', 'SUBSCRIPTION', 'NOTICE', 'STATE', 'ATTEMPTS', 'LAST', 'NEXT OR SINCE'], rows));
        if (page.nextCursor !== null) err('(more deliveries: add --all to list every page)');
      },
    );

  deliveries
    .command('show <id>')
    .description('a delivery and every attempt at it')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const d = await ctx
        .client()
        .call((api) => api.GET('/v1/deliveries/{id}', { params: idParams(id) }), { auth: 'required' });
      if (ctx.json) return printJson(d);
      out(
        fields([
          ['Delivery', d.id],
          ['Subscription', d.subscriptionId],
          ['Notice', String(d.noticeId)],
          ['State', d.state],
          ['Next attempt', when(d.nextAttemptAt)],
        ]),
      );
      if (d.log.length === 0) return;
      const rows = d.log.map((a) => [
        String(a.attempt),
        when(a.at),
        `${a.durationMs} ms`,
        a.status === null ? '-' : String(a.status),
        a.error ?? '',
      ]);
      out(table(['#', 'TIME', 'TOOK', 'STATUS', 'ERROR'], rows));
    });

  deliveries
    .command('redeliver <id>')
    .description('put a dead or delivered delivery back in the queue, due now')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = CliContext.of(cmd);
      const d = await ctx
        .client()
        .call((api) => api.POST('/v1/deliveries/{id}/redeliver', { params: idParams(id) }), {
          auth: 'required',
        });
      if (ctx.json) return printJson(d);
      out(`Delivery ${d.id} is queued again (due ${when(d.nextAttemptAt)}).`);
    });
}
