import type { Notice } from '../../domain/safety/notices.js';
import type { Tx } from '../../store/store.js';

/**
 * Writes notices into the outbox inside the caller's unit of work: they are delivered if and only if it commits.
 * The audience is de-duplicated and sorted so that the same notice is stored the same way however it was built.
 */
export async function announce(tx: Tx, at: string, notices: Notice[]): Promise<void> {
  if (notices.length === 0) return;
  await tx.insertNotices(
    notices.map((n) => ({ ...n, audience: [...new Set(n.audience)].sort(), createdAt: at })),
  );
}
