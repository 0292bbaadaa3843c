/**
 * Webhook signing secrets. Each subscription has 32 random bytes of its own, shown once as `whsec_<base64>` (the
 * Standard Webhooks form). The registry must keep the secret itself to sign with it (a hash would not do), so it is
 * stored sealed: AES-256-GCM under the data directory's webhook key (src/main/keys/webhook-key.ts), with the
 * subscription id as additional data, so that a database copy alone signs nothing and a sealed secret moved to
 * another row fails.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';

export const SECRET_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_PREFIX = 'whsec_';

const aad = (subscriptionId: string) => Buffer.from(`robotid/webhook-secret/v1\u0000${subscriptionId}`);

export const newSecret = () => randomBytes(SECRET_BYTES);

/** The form the subscriber is given once. */
export const showSecret = (secret: Buffer) => `${SECRET_PREFIX}${secret.toString('base64')}`;

/** nonce ‖ ciphertext ‖ tag. */
export function sealSecret(secret: Buffer, subscriptionId: string, key: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(aad(subscriptionId));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  return Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]);
}

export function openSecret(sealed: Buffer, subscriptionId: string, key: Buffer): Buffer {
  try {
    if (sealed.length !== NONCE_BYTES + SECRET_BYTES + TAG_BYTES) throw new Error('length');
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES))
      .setAAD(aad(subscriptionId))
      .setAuthTag(sealed.subarray(NONCE_BYTES + SECRET_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(NONCE_BYTES, NONCE_BYTES + SECRET_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new DomainError(
      'unavailable',
      'webhook-secret-undecryptable',
      `the signing secret of subscription ${subscriptionId} does not open with this data directory's webhook key`,
    );
  }
}
