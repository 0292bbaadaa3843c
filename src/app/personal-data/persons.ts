/**
 * Persons as parties, and their personal data: registration at the point of sale, reads by a regulator (with a
 * purpose) or the person, corrections, and erasure on lawful request (crypto-shredding). Every read and every
 * refused attempt is in the audit log; the personal data itself never is.
 */
import { DomainError, invalid } from '../../domain/errors.js';
import type { Organisation } from '../../domain/org/organisation.js';
import {
  isReadPurpose,
  personPseudonym,
  personRegistrationNumber,
  READ_PURPOSES,
  validatePersonalData,
  type PersonalData,
} from '../../domain/org/person.js';
import type { PersonalDataErasure } from '../../store/store.js';
import { hasRole, requireActor, requireRole } from '../access.js';
import { audited } from '../audit.js';
import { noteRead } from '../policy/reads.js';
import { PURPOSE_HEADER, purposeRequired } from '../../domain/policy/purposes.js';
import { isoNow, randomId, type Actor, type AppContext, type Caller } from '../context.js';
import { viewOrganisation, type OrganisationView } from '../organisations.js';
import { personNotFound, sealPersonalData, sealedRecordOf, unsealPersonalData } from './sealing.js';

/** Admin, a seller (who registers its buyer at the point of sale) or a regulator registers a person. */
export async function registerPerson(
  ctx: AppContext,
  caller: Caller,
  input: PersonalData,
): Promise<OrganisationView> {
  const party = await audited(
    ctx,
    caller,
    'person.register',
    async (tx) => {
      requireRole(caller, 'admin', 'seller', 'regulator');
      const data = validatePersonalData(input);
      const id = randomId('org_');
      const party: Organisation = {
        id,
        kind: 'person',
        name: personPseudonym(id),
        roles: ['operator'],
        jurisdiction: ctx.operatorCountry,
        registrationNumber: personRegistrationNumber(id),
        enterpriseCode: null,
        createdAt: isoNow(ctx),
      };
      await tx.insertOrganisation(party);
      await tx.putPersonalData(sealPersonalData(ctx, id, data, party.createdAt));
      return party;
    },
    (p) => p.id,
  );
  return viewOrganisation(caller, party);
}

/**
 * Who may read a person's personal data, and the note the audit log keeps: the person itself, or a regulator
 * naming its purpose. Anyone else hears that there is no such person.
 */
function readGrant(actor: Actor, id: string, purpose: string | undefined): string {
  if (actor.orgId === id) return 'data_subject';
  if (!actor.roles.has('regulator')) throw personNotFound(id);
  if (purpose === undefined || !isReadPurpose(purpose)) {
    throw purposeRequired(
      `a regulator names why it reads personal data in the ${PURPOSE_HEADER} header: one of ${READ_PURPOSES.join(', ')}`,
      purpose === undefined ? 'is required' : `'${purpose}' does not justify reading personal data`,
    );
  }
  return purpose;
}

/**
 * Records a read, or a refused attempt, of a person's personal data: in the audit log before the data is shown (no
 * record, no data), and in the read audit with the other reads.
 */
async function auditRead(
  ctx: AppContext,
  actor: Actor,
  id: string,
  outcome: 'success' | 'failure',
  detail: string,
) {
  noteRead(ctx, actor, {
    query: `person:${id}`,
    classes: ['personal'],
    outcome: outcome === 'success' ? 'granted' : 'denied',
  });
  await ctx.store.write((tx) =>
    tx.insertAudit({
      at: isoNow(ctx),
      orgId: actor.orgId,
      keyId: actor.keyId,
      action: 'personal-data.read',
      target: id,
      outcome,
      detail,
    }),
  );
}

/** The personal data, decrypted, once the read is in the audit log (no record: no data). */
export async function readPersonalData(ctx: AppContext, caller: Caller, id: string): Promise<PersonalData> {
  const actor = requireActor(caller);
  const purpose = actor.purpose ?? undefined;
  let data: PersonalData;
  let note: string;
  try {
    note = readGrant(actor, id, purpose);
    data = unsealPersonalData(ctx, await ctx.store.read((r) => sealedRecordOf(r, id)));
  } catch (error) {
    const code = error instanceof DomainError ? error.code : 'internal-error';
    await auditRead(ctx, actor, id, 'failure', code).catch(() => undefined);
    throw error;
  }
  await auditRead(ctx, actor, id, 'success', note);
  return data;
}

/** The person or an administrator corrects the data: merged, checked, and sealed again under a new data key. */
export async function correctPersonalData(
  ctx: AppContext,
  caller: Caller,
  id: string,
  changes: Partial<PersonalData>,
): Promise<{ partyId: string; updatedAt: string }> {
  return audited(
    ctx,
    caller,
    'personal-data.correct',
    async (tx) => {
      const actor = requireActor(caller);
      if (actor.orgId !== id && !hasRole(actor, 'admin')) throw personNotFound(id);
      const record = await sealedRecordOf(tx, id);
      const data = validatePersonalData({ ...unsealPersonalData(ctx, record), ...changes });
      const sealed = sealPersonalData(ctx, id, data, record.createdAt);
      await tx.putPersonalData(sealed);
      return { partyId: id, updatedAt: sealed.updatedAt };
    },
    (r) => r.partyId,
    id,
  );
}

export interface ErasureRequest {
  legalBasis: string;
  requestReference: string;
}

/**
 * Erasure on lawful request (PIPL art. 47), by a regulator or an administrator: the sealed data and its wrapped
 * key are deleted (the ciphertext in any copy is unreadable once its key-encryption key is retired), the person's
 * API keys are revoked (the person has left), and the party, its robots' events and the log stay as they are.
 */
export async function erasePersonalData(
  ctx: AppContext,
  caller: Caller,
  id: string,
  request: ErasureRequest,
): Promise<PersonalDataErasure & { revokedKeys: number }> {
  return audited(
    ctx,
    caller,
    'personal-data.erase',
    async (tx) => {
      const actor = requireActor(caller);
      if (!hasRole(actor, 'regulator', 'admin')) throw personNotFound(id);
      const legalBasis = request.legalBasis.trim();
      const requestReference = request.requestReference.trim();
      if (!legalBasis || !requestReference) {
        throw invalid('invalid-erasure-request', 'name the legal basis and the request reference', [
          ...(legalBasis ? [] : [{ field: '/legalBasis', message: 'must not be blank' }]),
          ...(requestReference ? [] : [{ field: '/requestReference', message: 'must not be blank' }]),
        ]);
      }
      await sealedRecordOf(tx, id);
      await tx.deletePersonalData(id);
      const erasure: PersonalDataErasure = {
        partyId: id,
        erasedAt: isoNow(ctx),
        erasedBy: actor.orgId,
        legalBasis,
        requestReference,
      };
      await tx.insertPersonalDataErasure(erasure);
      const live = (await tx.listApiKeys(id)).filter((k) => k.revokedAt === null);
      for (const key of live) await tx.revokeApiKey(key.id, erasure.erasedAt);
      return { ...erasure, revokedKeys: live.length };
    },
    (e) => e.partyId,
    id,
  );
}
