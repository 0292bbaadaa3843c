/** A person's personal data to and from its sealed record, with the context's key ring. */
import { DomainError, gone, notFound } from '../../domain/errors.js';
import type { Organisation } from '../../domain/org/organisation.js';
import type { PersonalData } from '../../domain/org/person.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import type { PersonalDataRecord, Reader } from '../../store/store.js';
import { isoNow, type AppContext } from '../context.js';
import { seal, unseal } from './envelope.js';
import type { KeyRing } from './key-ring.js';

export const personNotFound = (id: string) => notFound('person-not-found', `no person ${id}`);

function keyRing(ctx: AppContext): KeyRing {
  if (!ctx.personalDataKeys)
    throw new DomainError('unavailable', 'personal-data-keys-unavailable', 'no personal-data key ring here');
  return ctx.personalDataKeys();
}

/** Sealed under a fresh data key, wrapped with the newest key-encryption key. */
export function sealPersonalData(
  ctx: AppContext,
  partyId: string,
  data: PersonalData,
  createdAt: string,
): PersonalDataRecord {
  const sealed = seal(Buffer.from(canonicalJson(data), 'utf8'), partyId, keyRing(ctx).newest());
  return { partyId, ...sealed, createdAt, updatedAt: isoNow(ctx) };
}

export function unsealPersonalData(ctx: AppContext, record: PersonalDataRecord): PersonalData {
  const ring = keyRing(ctx);
  const plaintext = unseal(record, record.partyId, (version) => ring.get(version));
  try {
    return JSON.parse(plaintext.toString('utf8')) as PersonalData;
  } finally {
    plaintext.fill(0);
  }
}

/** A person's party; an organisation's id answers as not found, as an unknown one does. */
export async function personParty(r: Reader, id: string): Promise<Organisation> {
  const party = await r.getOrganisation(id);
  if (!party || party.kind !== 'person') throw personNotFound(id);
  return party;
}

/** A person's sealed record: 410 once erased. */
export async function sealedRecordOf(r: Reader, id: string): Promise<PersonalDataRecord> {
  await personParty(r, id);
  const erasure = await r.getPersonalDataErasure(id);
  if (erasure) {
    throw gone('personal-data-erased', `the personal data of ${id} was erased at ${erasure.erasedAt}`);
  }
  const record = await r.getPersonalData(id);
  if (!record) throw notFound('personal-data-not-found', `no personal data for ${id}`);
  return record;
}
