/** People in in-process tests (app.inject; test/support/people.ts does it over HTTP): invitations accepted, TOTP codes computed as an authenticator app would, session cookies. */
import { Secret, TOTP } from 'otpauth';
import type { Harness } from './harness.js';
import type { RawTables } from '../../src/store/tables.js';
import { TABLES } from '../../src/store/tables.js';

export const PASSWORD = 'correct horse battery staple';
export const ORIGIN = 'https://registry.test';

let people = 0;

/** The code an authenticator app shows for `secret` at the registry's present time. */
export const totpCode = (h: Harness, secret: string) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: h.ctx.now().getTime() });

/**
 * Runs the registry's clock from now on under the test's hand (`advance` moves it): TOTP steps, idle timeouts
 * and locks are then a matter of arithmetic, not of waiting.
 */
export function testClock(h: Harness) {
  let at = Date.now();
  h.ctx.now = () => new Date(at);
  return {
    advance: (ms: number) => {
      at += ms;
    },
  };
}

/** `name=value` of the session cookie a response sets, for the next request's Cookie header. */
export function sessionCookieOf(headers: Record<string, unknown>): string {
  const set = [headers['set-cookie']].flat().find((c) => String(c).startsWith('robotid_session='));
  if (!set) throw new Error('no robotid_session cookie was set');
  return String(set).split(';')[0]!;
}

export interface Person {
  id: string;
  email: string;
  secret: string;
  /** Cookie header of its latest sign-in. */
  cookie: string;
}

/** Invites (with `key`, the organisation's), accepts and signs in a person with `role`. */
export async function person(h: Harness, orgId: string, key: string, role: string): Promise<Person> {
  const email = `Person.${++people}.${Date.now()}@Example.CN`;
  const invited = await h.call('POST', `/v1/organisations/${orgId}/invitations`, {
    key,
    body: { email, role },
  });
  if (invited.status !== 201) throw new Error(`invite: ${JSON.stringify(invited.body)}`);
  const token = String(invited.body.link).split('/').pop()!;
  const accepted = await h.call('POST', `/v1/invitations/${token}/accept`, {
    body: { name: `Person ${people}`, password: PASSWORD },
  });
  if (accepted.status !== 201) throw new Error(`accept: ${JSON.stringify(accepted.body)}`);
  const p = {
    id: accepted.body.user.id,
    email: email.toLowerCase(),
    secret: accepted.body.totp.secret,
    cookie: '',
  };
  p.cookie = await signIn(h, p);
  return p;
}

/** Signs in again (a TOTP code is good once: the caller moves the clock on between two sign-ins). */
export async function signIn(h: Harness, p: { email: string; secret: string }): Promise<string> {
  const res = await h.call('POST', '/v1/session', {
    body: { email: p.email, password: PASSWORD, totp: totpCode(h, p.secret) },
  });
  if (res.status !== 200) throw new Error(`sign-in: ${res.status} ${JSON.stringify(res.body)}`);
  return sessionCookieOf(res.headers);
}

/** A request as the signed-in person's browser sends it from the console: cookie, and the registry's Origin. */
export const asPerson = (p: Person, origin = ORIGIN) => ({ headers: { cookie: p.cookie, origin } });

/** Rows of a table, as column-name records (both stores). */
export async function rowsOf(h: Harness, name: string): Promise<Record<string, unknown>[]> {
  const table = TABLES.find((t) => t.name === name)!;
  return (h.ctx.store as unknown as RawTables).snapshot(async (reader) =>
    (await reader.rows(table, null, 1_000_000)).map((row) =>
      Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])),
    ),
  );
}
