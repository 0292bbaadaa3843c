/** The whole `robotid` command. */
import type { Command } from 'commander';
import { registerAdmin } from './commands/admin.js';
import { registerBackup } from './commands/backup.js';
import { registerCompliance } from './commands/compliance.js';
import { registerDemo } from './commands/demo.js';
import { registerEvent } from './commands/event.js';
import { registerId } from './commands/id.js';
import { registerImport } from './commands/import.js';
import { registerIncident } from './commands/incident.js';
import { registerKey } from './commands/key.js';
import { registerKeys } from './commands/keys.js';
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
import { registerServe } from './commands/serve.js';
import { registerSubscription } from './commands/subscription.js';
import { registerVerify } from './commands/verify.js';
import { runProgram, type RunState } from './program-base.js';

function registerAll(program: Command, state: RunState) {
  registerServe(program);
  registerAdmin(program);
  registerDemo(program);
  registerLogin(program);
  registerOrg(program);
  registerPerson(program);
  registerKey(program);
  registerKeys(program);
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
  registerLabel(program);
  registerPassport(program);
  registerVerify(program, state);
  registerLog(program, state);
  registerBackup(program, state);
}

export const run = (argv: readonly string[]) => runProgram(argv, registerAll);
