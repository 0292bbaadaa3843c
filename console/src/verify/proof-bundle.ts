// The "verified against the log" mark, computed in the browser with the registry's own bundle check
// (src/log/bundle-check.ts, the code behind `robotid verify`): each event's record opens its leaf, each leaf's
// inclusion proof leads to the signed checkpoint's root, and the heads map and the leaves' links show that the
// bundle holds every event of the robot (a bundle with one left out is not verified). Only the checkpoint's
// signature is checked here by other code (checkpoint.ts: Web Crypto's Ed25519).
import { checkBundleAgainst, readBundle, type BundleReport } from '../../../src/log/bundle-check.js';
import type { Checkpoint } from '../../../src/log/checkpoint.js';
import { openCheckpoint } from './checkpoint.js';

export interface BundleVerdict {
  /** Every check passed, completeness included. */
  ok: boolean;
  checkpointSize: number | null;
  /** Events whose record was opened and proved included: their IDs. */
  proven: string[];
  /** Events whose content the bundle withholds (another organisation's), proved by their leaf only. */
  withheld: number;
  completeness: BundleReport['completeness'];
  problems: string[];
}

/** Checks the text of `robotId`'s proof bundle (as the registry sent it) against the log's verifier key. */
export async function verifyProofBundle(
  text: string,
  robotId: string,
  keyText: string,
): Promise<BundleVerdict> {
  const { bundle, report } = readBundle(text);
  if (bundle) {
    let checkpoint: Checkpoint | null = null;
    try {
      checkpoint = await openCheckpoint(bundle.checkpoint, keyText);
    } catch (error) {
      report.problems.push((error as Error).message);
    }
    checkBundleAgainst(bundle, checkpoint, report);
  }
  if (report.robotId !== null && report.robotId !== robotId)
    report.problems.push('the bundle is about another robot');
  const events = report.events;
  const problems = [
    ...report.problems,
    ...events.flatMap((e, i) => (e.problem === null ? [] : [`event ${i + 1}: ${e.problem}`])),
  ];
  return {
    ok: problems.length === 0 && report.completeness === 'proven',
    checkpointSize: report.checkpoint?.size ?? null,
    proven: events.flatMap((e) => (e.problem === null && !e.withheld && e.eventId ? [e.eventId] : [])),
    withheld: events.filter((e) => e.problem === null && e.withheld).length,
    completeness: report.completeness,
    problems,
  };
}
