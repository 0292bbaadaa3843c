import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DomainError, notFound } from '../domain/errors.js';
import type { Role } from '../domain/org/roles.js';
import type { ApiKeyRecord, Tx } from '../store/store.js';
import { withLatestReads } from '../store/read-session.js';
import { actsFor, requireActor } from './access.js';
import { audited } from './audit.js';
import { isoNow, randomId, type Actor, type AppContext, type Caller } from './context.js';
import { revokedKey, unknownKey } from './live-key.js';
import { requireAdministrator } from './people/permissions.js';

/**
 * A key reads `rid_<key id>_<secret>`. Only SHA-256 of the secret is stored: the secret is 256 random bits, so a
 * fast hash is as strong as a slow one here, and lets every request be checked in microseconds.
 */
const KEY_PATTERN = /^rid_([a-z2-7]{16})_([A-Za-z0-9_-]{43})$/;
/** last_used_at is a hint for humans; writing it on every request would make every read a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyView {
  id: string;
  orgId: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest();

/** What a secret under an unknown key ID is compared with (no secret hashes to it), so that it costs the same. */
const UNKNOWN_KEY_HASH = hashSecret(randomBytes(32).toString('base64url'));

export const viewKey = ({ id, orgId, name, createdAt, revokedAt, lastUsedAt }: ApiKeyRecord): ApiKeyView => ({
  id,
  orgId,
  name,
  createdAt,
  revokedAt,
  lastUsedAt,
});

/** Makes a key for an organisation inside a unit of work; the token is returned once and never stored. */
export async function mintKey(
  ctx: AppContext,
  tx: Tx,
  orgId: string,
  name: string,
  createdByKey: string | null,
) {
  const secret = randomBytes(32).toString('base64url');
  const record: ApiKeyRecord = {
    id: randomId(),
    orgId,
    name,
    secretHash: hashSecret(secret),
    createdAt: isoNow(ctx),
    createdByKey,
    revokedAt: null,
    lastUsedAt: null,
  };
  await tx.insertApiKey(record);
  return { ...viewKey(record), token: `rid_${record.id}_${secret}` };
}

/** Turns a bearer token into the acting organisation, or says precisely why it cannot. */
export async function authenticate(ctx: AppContext, token: string): Promise<Actor> {
  const match = KEY_PATTERN.exec(token.trim());
  if (!match) throw new DomainError('unauthenticated', 'invalid-api-key', 'the API key is malformed');
  const [, keyId, secret] = match as unknown as [string, string, string];
  // From the primary, with a read replica: a key just created works at once, and one just revoked stops at once.
  // An unknown key ID takes the same steps as a known one with a wrong secret (two reads, one hash, one constant-
  // time comparison), so that the time of the answer does not tell which key IDs exist.
  const found = await withLatestReads(() =>
    ctx.store.read(async (r) => {
      const key = await r.getApiKey(keyId);
      const org = await r.getOrganisation(key?.orgId ?? keyId); // a key ID is never an organisation ID
      return { key, org };
    }),
  );
  const secretMatches = timingSafeEqual(found.key?.secretHash ?? UNKNOWN_KEY_HASH, hashSecret(secret));
  if (!found.key || !found.org || !secretMatches) throw unknownKey();
  if (found.key.revokedAt) throw revokedKey(found.key.revokedAt);
  const now = ctx.now();
  const lastUsed = found.key.lastUsedAt ? Date.parse(found.key.lastUsedAt) : 0;
  if (now.getTime() - lastUsed >= LAST_USED_RESOLUTION_MS) {
    await ctx.store.write((tx) => tx.touchApiKey(keyId, now.toISOString()));
  }
  return { orgId: found.org.id, keyId, roles: new Set<Role>(found.org.roles) };
}

/** An organisation manages its own keys; the platform administrator may manage anyone's. */
export async function createKey(ctx: AppContext, caller: Caller, orgId: string, name: string) {
  return audited(
    ctx,
    caller,
    'api-key.create',
    async (tx) => {
      const actor = requireActor(caller);
      if (!actsFor(actor, orgId) || !(await tx.getOrganisation(orgId))) {
        throw notFound('organisation-not-found', `no organisation ${orgId}`);
      }
      return mintKey(ctx, tx, orgId, name.trim() || 'unnamed', actor.keyId);
    },
    (key) => key.id,
    orgId,
  );
}

export async function listKeys(ctx: AppContext, caller: Caller, orgId: string): Promise<ApiKeyView[]> {
  requireAdministrator(caller); // a key's name and use are the organisation's administration, as its people are
  if (!actsFor(caller, orgId)) throw notFound('organisation-not-found', `no organisation ${orgId}`);
  const keys = await ctx.store.read((r) => r.listApiKeys(orgId));
  return keys.map(viewKey);
}

export async function revokeKey(
  ctx: AppContext,
  caller: Caller,
  orgId: string,
  keyId: string,
): Promise<ApiKeyView> {
  return audited(
    ctx,
    caller,
    'api-key.revoke',
    async (tx) => {
      requireActor(caller);
      const key = await tx.getApiKey(keyId);
      if (!key || key.orgId !== orgId || !actsFor(caller, orgId)) {
        throw notFound('api-key-not-found', `no API key ${keyId} in organisation ${orgId}`);
      }
      if (!key.revokedAt) await tx.revokeApiKey(keyId, isoNow(ctx));
      return viewKey((await tx.getApiKey(keyId))!);
    },
    (key) => key.id,
    keyId,
  );
}
