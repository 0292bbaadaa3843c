import type { AppContext, Caller } from '../context.js';
import { requireUser } from './signed-in.js';
import { viewPasskey, type PasskeyView } from './passkey-view.js';

/** The signed-in person's passkeys. */
export async function listPasskeys(ctx: AppContext, caller: Caller): Promise<PasskeyView[]> {
  const actor = requireUser(caller);
  return (await ctx.store.read((r) => r.listPasskeys(actor.user.id))).map(viewPasskey);
}
