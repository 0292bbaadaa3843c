/**
 * `robotid verify` alone: inspectors run it offline, often on many files, so it loads only what it needs (the
 * whole command loads the server's modules too, which doubles its start-up time).
 */
import { registerVerify } from './commands/verify.js';
import { runProgram } from './program-base.js';

export const run = (argv: readonly string[]) => runProgram(argv, registerVerify);
