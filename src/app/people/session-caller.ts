/**
 * A session cookie's token to the person acting: the user, for the user's organisation, with the organisation's
 * roles (the same access policy as the organisation's API keys) limited by the user's role. A session past its
 * idle or absolute end is deleted and gives no one.
 */
import { userCredential, type UserRole } from '../../domain/org/people.js';
import type { Role } from '../../domain/org/roles.js';
import { withLatestReads } from '../../store/read-session.js';
import type { Actor, AppContext } from '../context.js';
import { peopleSettings } from './settings.js';
import { hashToken } from './tokens.js';

/** last_seen_at within this of the truth is good enough for an idle timeout of minutes, and spares a write a read. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export async function sessionCaller(ctx: AppContext, token: string): Promise<Actor | null> {
  const found = await withLatestReads(() =>
    ctx.store.read(async (r) => {
      const session = await r.findSessionByToken(hashToken(token));
      const user = session ? await r.getUser(session.userId) : null;
      const org = user ? await r.getOrganisation(user.orgId) : null;
      return { session, user, org };
    }),
  );
  const { session, user, org } = found;
  if (!session) return null;
  const now = ctx.now().getTime();
  const { sessionIdleMs } = peopleSettings(ctx);
  const idle = now - Date.parse(session.lastSeenAt) >= sessionIdleMs;
  if (!user || !org || idle || now >= Date.parse(session.expiresAt)) {
    await ctx.store.write((tx) => tx.deleteSession(session.id));
    return null;
  }
  if (now - Date.parse(session.lastSeenAt) >= LAST_SEEN_RESOLUTION_MS) {
    await ctx.store.write((tx) => tx.touchSession(session.id, new Date(now).toISOString()));
  }
  return {
    orgId: org.id,
    keyId: userCredential(user.id),
    roles: new Set<Role>(org.roles),
    user: { id: user.id, role: user.role as UserRole, sessionId: session.id },
  };
}
