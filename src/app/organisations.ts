import { conflict, notFound } from '../domain/errors.js';
import { enterpriseCodeFor } from '../domain/id/index.js';
import {
  validateNewOrganisation,
  type NewOrganisation,
  type Organisation,
} from '../domain/org/organisation.js';
import { normaliseEmail } from '../domain/org/people.js';
import type { OrganisationFilter, Page, PageRequest, Tx } from '../store/store.js';
import { actsFor, requireActor, requireRole } from './access.js';
import { mintKey } from './api-keys.js';
import { audited } from './audit.js';
import { isoNow, randomId, type AppContext, type Caller } from './context.js';
import { makeInvitation } from './people/invite.js';

/**
 * What anyone may see of an organisation; the registration number only to itself, admins and regulators. A person
 * has none to show (its placeholder is its own id), and its name is a pseudonym.
 */
export type OrganisationView = Omit<Organisation, 'registrationNumber'> & { registrationNumber?: string };

export function viewOrganisation(caller: Caller, org: Organisation): OrganisationView {
  const showsRegistration = actsFor(caller, org.id) || caller?.roles.has('regulator');
  if (showsRegistration && org.kind === 'organisation') return org;
  const { registrationNumber: _hidden, ...rest } = org;
  return rest;
}

/** Admits an organisation to the registry; a manufacturer gets its enterprise code here, once and for good. */
export async function admitOrganisation(
  ctx: AppContext,
  caller: Caller,
  input: NewOrganisation,
): Promise<Organisation> {
  return audited(
    ctx,
    caller,
    'organisation.admit',
    async (tx) => {
      requireRole(caller, 'admin');
      const valid = validateNewOrganisation(input);
      const taken = await tx.findOrganisationByRegistration(valid.jurisdiction, valid.registrationNumber);
      if (taken) {
        throw conflict(
          'registration-number-taken',
          `registration number ${valid.registrationNumber} (${valid.jurisdiction}) belongs to organisation ${taken.id}`,
          [{ field: '/registrationNumber', message: 'already registered' }],
        );
      }
      const org: Organisation = {
        id: randomId('org_'),
        kind: 'organisation',
        ...valid,
        enterpriseCode: valid.roles.includes('manufacturer') ? await allocateEnterpriseCode(tx) : null,
        createdAt: isoNow(ctx),
      };
      await tx.insertOrganisation(org);
      return org;
    },
    (org) => org.id,
  );
}

async function allocateEnterpriseCode(tx: Tx): Promise<string> {
  return enterpriseCodeFor(await tx.nextCounter('enterprise_code'));
}

/** Public: manufacturers (their names are on every robot's page). Everything else needs a key. */
export async function getOrganisation(
  ctx: AppContext,
  caller: Caller,
  id: string,
): Promise<OrganisationView> {
  const org = await ctx.store.read((r) => r.getOrganisation(id));
  const visible = org && (caller !== null || org.roles.includes('manufacturer'));
  if (!org || !visible) throw notFound('organisation-not-found', `no organisation ${id}`);
  return viewOrganisation(caller, org);
}

/** Organisations in the order admitted; `filter.name`: those whose name contains it, letter case ignored. */
export async function listOrganisations(
  ctx: AppContext,
  caller: Caller,
  filter: OrganisationFilter,
  page: PageRequest,
): Promise<Page<OrganisationView>> {
  requireActor(caller);
  const result = await ctx.store.read((r) => r.listOrganisations(filter, page));
  return { ...result, items: result.items.map((org) => viewOrganisation(caller, org)) };
}

const PLATFORM_REGISTRATION = 'robotid-platform-operator';

/** The registry operator's own organisation, created on first start; it holds the `admin` role. */
export async function ensurePlatformOrganisation(ctx: AppContext): Promise<Organisation> {
  return ctx.store.write(async (tx) => {
    const existing = await tx.findOrganisationByRegistration(ctx.operatorCountry, PLATFORM_REGISTRATION);
    if (existing) return existing;
    const org: Organisation = {
      id: randomId('org_'),
      kind: 'organisation',
      name: 'Registry operator',
      roles: ['admin'],
      jurisdiction: ctx.operatorCountry,
      registrationNumber: PLATFORM_REGISTRATION,
      enterpriseCode: null,
      createdAt: isoNow(ctx),
    };
    await tx.insertOrganisation(org);
    await tx.insertAudit({
      at: org.createdAt,
      orgId: null,
      keyId: null,
      action: 'platform.bootstrap',
      target: org.id,
      outcome: 'success',
      detail: null,
    });
    return org;
  });
}

/**
 * `robotid admin init`: the first administrator key, shown once. Refused once any admin key exists. With
 * `firstUser`, also an invitation for the first administrator person of the registry operator (its link shown once).
 */
export async function initAdministrator(ctx: AppContext, firstUser?: { email: string; name: string }) {
  const platform = await ensurePlatformOrganisation(ctx);
  const email = firstUser ? normaliseEmail(firstUser.email) : undefined;
  return ctx.store.write(async (tx) => {
    if (await tx.hasAdminKey()) {
      throw conflict(
        'already-initialised',
        'an administrator key exists already; create further keys with it',
      );
    }
    const key = await mintKey(ctx, tx, platform.id, 'first administrator key', null);
    await tx.insertAudit({
      at: key.createdAt,
      orgId: platform.id,
      keyId: key.id,
      action: 'admin.init',
      target: key.id,
      outcome: 'success',
      detail: null,
    });
    if (email === undefined) return { organisation: platform, key, invitation: null };
    const invitation = await makeInvitation(ctx, tx, platform.id, email, 'administrator', key.id);
    await tx.insertAudit({
      at: key.createdAt,
      orgId: platform.id,
      keyId: key.id,
      action: 'invitation.create',
      target: invitation.invitation.id,
      outcome: 'success',
      // The name is the operator's word for whom the link is meant; the person gives its own on accepting.
      detail: `first administrator: ${firstUser!.name.trim().slice(0, 200)}`,
    });
    return { organisation: platform, key, invitation };
  });
}
