import { notFound } from '../../domain/errors.js';
import { actsFor, requireActor } from '../access.js';
import type { AppContext, Caller } from '../context.js';
import { assertAdministers } from './permissions.js';
import { viewUser, type UserView } from './views.js';

export async function listUsers(ctx: AppContext, caller: Caller, orgId: string): Promise<UserView[]> {
  const actor = requireActor(caller);
  if (!actsFor(actor, orgId)) throw notFound('organisation-not-found', `no organisation ${orgId}`);
  assertAdministers(actor);
  return (await ctx.store.read((r) => r.listUsers(orgId))).map(viewUser);
}
