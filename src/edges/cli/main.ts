/** The `robotid` command (bin/robotid.js imports this): runs the CLI on process.argv. */

// `robotid id issue … | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// The exit code is set, not forced: a running `serve` keeps the process alive, and pending output is flushed.
// `verify` is run offline by inspectors, often in loops: it starts without the rest of the command's modules.
const { run } =
  process.argv[2] === 'verify' ? await import('./verify-program.js') : await import('./program.js');
process.exitCode = await run(process.argv);
