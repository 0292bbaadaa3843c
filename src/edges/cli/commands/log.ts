/**
 * The transparency log from the command line: `witness` (follow, check and cosign checkpoints), and `log
 * key|checkpoint|bundle|witness-key` (fetch from a registry; make a witness key). `verify` (offline bundle check) is
 * in verify.ts, `audit` (the whole log against the local database) in ../local/audit.ts.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { generateWitnessKey } from '../../../log/cosignature.js';
import { NoteError, openNote } from '../../../log/note.js';
import { parseCheckpoint } from '../../../log/checkpoint.js';
import { CliContext } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { out, printJson } from '../output.js';
import { robotParams } from './robot.js';
import { parseRobotId } from '../../../domain/id/index.js';
import { registerWitness } from './witness.js';
import { logVerifierKey } from './log-keys.js';

export function registerLog(program: Command) {
  const log = program
    .command('log')
    .description('fetch the transparency log’s key, checkpoint and proof bundles');
  log
    .command('key')
    .description('print the registry’s log verifier key (compare it with the copy the operator publishes)')
    .action(async (_opts: unknown, cmd: Command) => {
      const key = await CliContext.of(cmd)
        .client()
        .call((api) => api.GET('/v1/log/key', { parseAs: 'text' }));
      out(key.trim());
    });
  log
    .command('checkpoint')
    .description('fetch the latest checkpoint and check its signature')
    .option(
      '--log-key <key>',
      'the registry’s log verifier key, or a file holding it (default: $ROBOTID_LOG_KEY)',
    )
    .action(async (opts: { logKey?: string }, cmd: Command) => {
      const key = logVerifierKey(opts.logKey);
      const note = await CliContext.of(cmd)
        .client()
        .call((api) => api.GET('/v1/log/checkpoint', { parseAs: 'text' }));
      try {
        const opened = openNote(note, [key]);
        const checkpoint = parseCheckpoint(opened.text);
        const cosigners = opened.unverified.map((u) => u.name);
        if (CliContext.of(cmd).json)
          return printJson({ ...checkpoint, rootHash: checkpoint.rootHash.toString('base64'), cosigners });
        out(
          `${checkpoint.origin}: tree size ${checkpoint.size}, root ${checkpoint.rootHash.toString('base64')}`,
        );
        out('registry signature valid');
        if (cosigners.length > 0) out(`cosignature lines (not checked here) from: ${cosigners.join(', ')}`);
      } catch (error) {
        if (error instanceof NoteError)
          throw new CliError(ExitCode.checkFailed, `bad checkpoint: ${error.message}`);
        throw error;
      }
    });
  log
    .command('bundle <robotId>')
    .description('download a robot’s offline proof bundle (for whoever may read its history)')
    .option('-o, --output <file>', 'where to write it (default: <ID>.robotid-proof.json)')
    .action(async (robotId: string, opts: { output?: string }, cmd: Command) => {
      const { data } = await CliContext.of(cmd)
        .client()
        .download(
          (api) =>
            api.GET('/v1/robots/{id}/proof-bundle', { params: robotParams(robotId), parseAs: 'arrayBuffer' }),
          { auth: 'required' },
        );
      const bundle = JSON.parse(data.toString('utf8')) as { robotId: unknown; events: unknown[] };
      const file = opts.output ?? defaultBundleFile(robotId, bundle.robotId);
      writeFileSync(file, data);
      out(
        `wrote ${file}: ${bundle.events.length} events; check it with robotid verify ${file} --log-key <key>`,
      );
    });

  log
    .command('witness-key <name>')
    .description(
      'create a witness key pair (C2SP cosignature/v1): the secret to a file, the public key printed',
    )
    .requiredOption('-o, --output <file>', 'file for the secret key (created, readable by you only)')
    .action((name: string, opts: { output: string }) => {
      let keys;
      try {
        keys = generateWitnessKey(name);
      } catch (error) {
        throw new CliError(ExitCode.usage, `not a usable key name: ${(error as Error).message}`);
      }
      try {
        // 'wx': an existing key file is someone's identity; never overwrite it.
        writeFileSync(opts.output, `${keys.signerKey}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        throw new CliError(ExitCode.usage, `cannot create ${opts.output}: ${(error as Error).message}`);
      }
      out(keys.verifierKey);
    });

  registerWitness(program);
}

/**
 * `<ID>.robotid-proof.json` in the current folder, named from the ID asked for. The server's answer must be about
 * that robot: a name taken from a response unchecked could point anywhere (`../…`).
 */
function defaultBundleFile(requested: string, answered: unknown): string {
  const id = parseRobotId(requested).canonical;
  if (answered !== id) {
    throw new CliError(
      ExitCode.unavailable,
      `the registry answered a bundle for ${JSON.stringify(answered)}, not for ${id}; nothing was written`,
    );
  }
  return `${id}.robotid-proof.json`;
}
