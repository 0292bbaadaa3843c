import type { Notice } from '../../domain/safety/notices.js';
import type { RecallRecord } from '../../store/store.js';

/** What every notice about a campaign says of it: public facts, never its criteria (a maker's parts and lots). */
export const recallSummary = (r: RecallRecord) => ({
  recall: r.number,
  component: r.component,
  summary: r.summary,
  consequence: r.consequence,
  remedy: r.remedy.description,
  overTheAir: r.remedy.overTheAir,
  stopUse: r.stopUse,
});

/** Robot IDs grouped by each organisation they concern, in the order first seen. */
export function robotsPerOrganisation(items: { robotId: string; orgs: readonly string[] }[]) {
  const byOrg = new Map<string, string[]>();
  for (const { robotId, orgs } of items)
    for (const org of new Set(orgs)) {
      const ids = byOrg.get(org);
      if (ids) ids.push(robotId);
      else byOrg.set(org, [robotId]);
    }
  return byOrg;
}

/** An affected robot and whom it concerns: its holder and its maker. */
export interface AffectedRobotParties {
  robotId: string;
  custodianId: string;
  manufacturerId: string | null;
}

/**
 * One `recall.affects` notice per organisation naming only the robots that concern it — its holder's and its
 * maker's (a holder must not learn whose other robots are affected) — and, with `count`, a `recall.updated` to the
 * campaign's manufacturer with how many joined.
 */
export function affectsNotices(
  recall: RecallRecord,
  robots: AffectedRobotParties[],
  options: { count: boolean },
): Notice[] {
  const byOrg = robotsPerOrganisation(
    robots.map((r) => ({
      robotId: r.robotId,
      orgs: r.manufacturerId ? [r.custodianId, r.manufacturerId] : [r.custodianId],
    })),
  );
  const notices: Notice[] = [...byOrg].map(([org, ids]) => ({
    topic: 'recall.affects',
    audience: [org],
    robotId: ids.length === 1 ? ids[0]! : null,
    data: { ...recallSummary(recall), robots: ids },
  }));
  if (options.count && recall.manufacturerId && robots.length > 0)
    notices.push({
      topic: 'recall.updated',
      audience: [recall.manufacturerId],
      robotId: null,
      data: { ...recallSummary(recall), newlyAffected: robots.length },
    });
  return notices;
}
