/**
 * TOTP (RFC 6238: 30-second steps, 6 digits, HMAC-SHA1, as authenticator apps expect) through otpauth. The secret
 * is sealed with the personal-data key ring, the user's id as the party (so key rotation rewraps it too), and a
 * code signs in once: the step it matched is kept and no code of that step or an earlier one is taken again.
 */
import { Secret, TOTP } from 'otpauth';
import { DomainError } from '../../domain/errors.js';
import type { SealedSecret } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { seal, unseal } from '../personal-data/envelope.js';

const PERIOD = 30;
const ISSUER = 'robotid';

const totpOf = (secret: Secret, label: string) =>
  new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret });

function keyRing(ctx: AppContext) {
  if (!ctx.personalDataKeys)
    throw new DomainError('unavailable', 'personal-data-keys-unavailable', 'no personal-data key ring here');
  return ctx.personalDataKeys();
}

/** A new secret (160 bits, as RFC 4226 recommends) and its otpauth:// URI for an authenticator app. */
export function newTotp(email: string): { secret: string; uri: string } {
  const totp = totpOf(new Secret({ size: 20 }), email);
  return { secret: totp.secret.base32, uri: totp.toString() };
}

export const sealTotpSecret = (ctx: AppContext, userId: string, secret: string): SealedSecret =>
  seal(Buffer.from(secret, 'utf8'), userId, keyRing(ctx).newest());

function unsealTotpSecret(ctx: AppContext, userId: string, sealed: SealedSecret): string {
  const ring = keyRing(ctx);
  return unseal(sealed, userId, (version) => ring.get(version)).toString('utf8');
}

/**
 * The time step `code` matches (this step or the one either side, for clocks a little apart), or null when it
 * matches none, or only steps at or before `lastStep` (a code already used).
 */
export function matchTotp(
  ctx: AppContext,
  user: { id: string; totp: SealedSecret; totpLastStep: number | null },
  code: string,
): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const secret = Secret.fromBase32(unsealTotpSecret(ctx, user.id, user.totp));
  const timestamp = ctx.now().getTime();
  const delta = TOTP.validate({
    token: code,
    secret,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
    timestamp,
    window: 1,
  });
  if (delta === null) return null;
  const step = Math.floor(timestamp / 1000 / PERIOD) + delta;
  return user.totpLastStep !== null && step <= user.totpLastStep ? null : step;
}
