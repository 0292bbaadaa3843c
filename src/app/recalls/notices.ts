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

/**
 * One notice per holder naming only its own robots (a holder must not learn whose other robots are affected),
 * and one to the campaign's manufacturer, if any, with the count.
 */
export function affectsNotices(
  recall: RecallRecord,
  robots: { robotId: string; custodianId: string }[],
): Notice[] {
  const byHolder = new Map<string, string[]>();
  for (const r of robots) {
    const ids = byHolder.get(r.custodianId);
    if (ids) ids.push(r.robotId);
    else byHolder.set(r.custodianId, [r.robotId]);
  }
  const notices: Notice[] = [...byHolder].map(([holder, ids]) => ({
    topic: 'recall.affects',
    audience: [holder],
    robotId: ids.length === 1 ? ids[0]! : null,
    data: { ...recallSummary(recall), robots: ids },
  }));
  if (recall.manufacturerId)
    notices.push({
      topic: 'recall.updated',
      audience: [recall.manufacturerId],
      robotId: null,
      data: { ...recallSummary(recall), newlyAffected: robots.length },
    });
  return notices;
}
