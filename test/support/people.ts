/**
 * People of an organisation, as the wire contract of issue 19 has them: invited by an API key of the organisation,
 * accepting with a password and receiving a TOTP secret, signing in for a session cookie. Over real HTTP, with the
 * registry's own Origin (cookie-authenticated writes need it), as the console does.
 */
import * as OTPAuth from 'otpauth';

export type Role = 'viewer' | 'reporter' | 'administrator';

export interface Person {
  email: string;
  password: string;
  name: string;
  role: Role;
  /** The TOTP secret (base32) given when the invitation was accepted. */
  totpSecret: string;
  user: { id: string; email: string; role: Role; organisationId: string };
}

let counter = 0;

const PERIOD_MS = 30_000;

/** The TOTP code for `secret` at `timestamp` (RFC 6238: SHA1, 6 digits, 30 s), as an authenticator app shows it. */
export const totpCode = (secret: string, timestamp = Date.now()) =>
  new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
  }).generate({ timestamp });

/** The last time step whose code was handed out, per secret. */
const usedSteps = new Map<string, number>();

/**
 * A code the registry will take now: a code signs in once, and no earlier step's is taken after it. The registry
 * allows one step of clock difference, so a second sign-in within 30 s uses the next step's code; a third waits.
 */
export async function freshTotpCode(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / PERIOD_MS);
  const step = Math.max(now, (usedSteps.get(secret) ?? -Infinity) + 1);
  if (step > now + 1) await new Promise((r) => setTimeout(r, (step - 1) * PERIOD_MS - Date.now() + 50));
  usedSteps.set(secret, step);
  return totpCode(secret, step * PERIOD_MS);
}

async function json(response: Response, what: string, expected: number) {
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${what}: HTTP ${response.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** Invites `email` to `orgId` with `role`, by the organisation's API key; the invitation's link and token. */
export async function invite(origin: string, orgKey: string, orgId: string, email: string, role: Role) {
  const response = await fetch(`${origin}/v1/organisations/${orgId}/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${orgKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, role }),
  });
  const body = await json(response, 'invitation', 201);
  const link = body.link as string;
  return { link, token: link.slice(link.lastIndexOf('/') + 1), invitation: body.invitation };
}

/** A person of `orgId` with `role` who has accepted an invitation (through the API, not the browser). */
export async function person(origin: string, orgKey: string, orgId: string, role: Role): Promise<Person> {
  counter += 1;
  const email = `${role}-${counter}-${Date.now()}@example.test`;
  const name = `Test ${role} ${counter}`;
  const password = `correct horse battery ${counter}`;
  const { token } = await invite(origin, orgKey, orgId, email, role);
  const response = await fetch(`${origin}/v1/invitations/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ name, password }),
  });
  const body = await json(response, 'accepting the invitation', 201);
  return { email, password, name, role, totpSecret: body.totp.secret, user: body.user };
}

/** Signs `who` in over the API; the session cookie's value (robotid_session). */
export async function signIn(origin: string, who: Pick<Person, 'email' | 'password' | 'totpSecret'>) {
  const response = await fetch(`${origin}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({
      email: who.email,
      password: who.password,
      totp: await freshTotpCode(who.totpSecret),
    }),
  });
  await json(response, 'signing in', 200);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('robotid_session='));
  if (!cookie) throw new Error('signing in set no robotid_session cookie');
  return cookie.slice('robotid_session='.length).split(';')[0]!;
}

/** The session cookie for a browser context on `origin` (as the registry set it: HttpOnly, SameSite=Strict). */
export const sessionCookie = (origin: string, value: string) => ({
  name: 'robotid_session',
  value,
  url: origin,
  httpOnly: true,
  sameSite: 'Strict' as const,
});
