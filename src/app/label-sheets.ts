/**
 * What a sheet of labels prints for each robot: the URL its QR code holds and the ID under it. A label shows only
 * public facts, but a sheet is a manufacturer's work on its own robots: the caller's organisation made them, or it
 * otherwise sees them by the access policy (holds, operates, services them; a regulator). Any other ID is answered
 * as not issued (404), as a robot read is.
 */
import { DomainError } from '../domain/errors.js';
import { parseRobotId, type RobotId } from '../domain/id/index.js';
import { requireActor } from './access.js';
import type { AppContext, Caller } from './context.js';
import { relationTo } from './policy/relation.js';
import { robotUrl } from './robots.js';

export interface SheetLabel {
  robotId: string;
  url: string;
  caption: string;
}

export async function labelSheetLabels(
  ctx: AppContext,
  caller: Caller,
  robotIds: readonly string[],
): Promise<SheetLabel[]> {
  const actor = requireActor(caller);
  const ids: RobotId[] = robotIds.map((input, i) => parseRobotId(input, `/robotIds/${i}`));
  const at = ctx.now().toISOString();
  const unseen = await ctx.store.read(async (r) => {
    const canonical = [...new Set(ids.map((id) => id.canonical))];
    const [robots, statuses] = await Promise.all([r.getRobots(canonical), r.getRobotStatuses(canonical)]);
    for (const [i, id] of ids.entries()) {
      const robot = robots.get(id.canonical);
      if (!robot) return i;
      if (robot.manufacturerId === actor.orgId) continue;
      const relation = await relationTo(r, caller, robot, statuses.get(id.canonical) ?? null, at);
      if (relation === 'public') return i;
    }
    return null;
  });
  if (unseen !== null) {
    const id = ids[unseen]!;
    throw new DomainError('not_found', 'robot-not-found', `no robot ${id.display} of yours has been issued`, [
      { field: `/robotIds/${unseen}`, message: 'not issued, or not yours' },
    ]);
  }
  return ids.map((id) => ({ robotId: id.canonical, url: robotUrl(ctx, id), caption: id.display }));
}
