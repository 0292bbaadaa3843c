/**
 * The whole `robotid` command. The commands in commands/ talk to a registry's API; those in local/ work on the
 * registry of this machine, in this process, through what the composition root hands in (local/registry.ts).
 */
import type { Command } from 'commander';
import { registerCompliance } from './commands/compliance.js';
import { registerEpcis } from './commands/epcis.js';
import { registerEvent } from './commands/event.js';
import { registerId } from './commands/id.js';
import { registerImport } from './commands/import.js';
import { registerIncident } from './commands/incident.js';
import { registerKey } from './commands/key.js';
import { registerUser } from './commands/user.js';
import { registerLabel } from './commands/label.js';
import { registerLog } from './commands/log.js';
import { registerLogin } from './commands/login.js';
import { registerModel } from './commands/model.js';
import { registerOrg } from './commands/org.js';
import { registerPassport } from './commands/passport.js';
import { registerPerson } from './commands/person.js';
import { registerReads } from './commands/reads.js';
import { registerRecall } from './commands/recall.js';
import { registerRobot } from './commands/robot.js';
import { registerSubscription } from './commands/subscription.js';
import { registerVerify } from './commands/verify.js';
import { registerAdmin } from './local/admin.js';
import { registerAudit } from './local/audit.js';
import { registerBackup } from './local/backup.js';
import { registerDemo } from './local/demo.js';
import { registerKeys } from './local/keys.js';
import type { LocalRegistry } from './local/registry.js';
import { registerServe } from './local/serve.js';
import { runProgram, type RunState } from './program-base.js';

function registerAll(program: Command, state: RunState, local: LocalRegistry) {
  registerServe(program, local);
  registerAdmin(program, local);
  registerDemo(program, local);
  registerLogin(program);
  registerOrg(program);
  registerPerson(program);
  registerKey(program);
  registerUser(program);
  registerKeys(program, local);
  registerModel(program);
  registerId(program, state);
  registerRobot(program);
  registerEvent(program);
  registerReads(program);
  registerRecall(program);
  registerSubscription(program);
  registerCompliance(program);
  registerIncident(program);
  registerImport(program, state);
  registerEpcis(program, state);
  registerLabel(program);
  registerPassport(program);
  registerVerify(program, state);
  registerAudit(program, state, local);
  registerLog(program);
  registerBackup(program, state, local);
}

/** Runs `robotid` on `argv`; the local commands work through `local`. */
export const run = (argv: readonly string[], local: LocalRegistry) =>
  runProgram(argv, (program, state) => registerAll(program, state, local));
