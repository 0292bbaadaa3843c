import type { Command } from 'commander';
import type { RunState } from '../program-base.js';
import { registerEpcisCapture } from './epcis-capture.js';
import { registerEpcisEvents } from './epcis-events.js';
import { registerEpcisJobs } from './epcis-jobs.js';

/** `robotid epcis …`: the registry's GS1 EPCIS 2.0 interface (docs/epcis.md). */
export function registerEpcis(program: Command, state: RunState) {
  const epcis = program
    .command('epcis')
    .description('GS1 EPCIS 2.0: capture documents, follow capture jobs, query events');
  registerEpcisCapture(epcis, state);
  registerEpcisEvents(epcis);
  registerEpcisJobs(epcis);
}
