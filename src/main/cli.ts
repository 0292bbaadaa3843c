/**
 * The `robotid` command (bin/robotid.js imports this): runs the CLI on process.argv. The composition builds it: the
 * CLI's local commands get this machine's registry from here (local-registry.ts), as the CLI imports nothing above
 * the edges.
 */

// `robotid id issue … | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/** `verify` is run offline by inspectors, often in loops: it starts without the rest of the command's modules. */
async function run(argv: readonly string[]): Promise<number> {
  if (argv[2] === 'verify') return (await import('../edges/cli/verify-program.js')).run(argv);
  const [{ run: runProgram }, { localRegistry }] = await Promise.all([
    import('../edges/cli/program.js'),
    import('./local-registry.js'),
  ]);
  return runProgram(argv, localRegistry);
}

// The exit code is set, not forced: a running `serve` keeps the process alive, and pending output is flushed.
process.exitCode = await run(process.argv);
