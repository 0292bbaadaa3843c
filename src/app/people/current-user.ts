import type { Caller } from '../context.js';
import type { AppContext } from '../context.js';
import { viewUser, type UserView } from './views.js';

/** The signed-in person making the request, or null for an API key or no one. */
export async function currentUser(ctx: AppContext, caller: Caller): Promise<UserView | null> {
  if (!caller?.user) return null;
  const user = await ctx.store.read((r) => r.getUser(caller.user!.id));
  return user ? viewUser(user) : null;
}
