/** `robotid witness`: run a witness against a registry over HTTP. */
import type { Command } from 'commander';
import { parseWitnessSignerKey } from '../../../log/cosignature.js';
import { Witness, WitnessAlarm, type RegistryApi } from '../witness.js';
import type { ApiClient } from '../client.js';
import { CliContext } from '../context.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { err, out } from '../output.js';
import { positiveInteger } from '../parsers.js';
import { logVerifierKey, readKeyText } from './log-keys.js';

function registryOver(client: ApiClient): RegistryApi {
  return {
    latestCheckpoint: () => client.call((api) => api.GET('/v1/log/checkpoint', { parseAs: 'text' })),
    consistencyProof: async (from, to) => {
      const { proof } = await client.call((api) =>
        api.GET('/v1/log/proofs/consistency', { params: { query: { from, to } } }),
      );
      return proof.map((h) => Buffer.from(h, 'base64'));
    },
    submitCosignature: async (note) => {
      await client.call((api) => api.POST('/v1/log/cosignatures', { body: { note } }));
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function registerWitness(program: Command) {
  program
    .command('witness')
    .description(
      'follow the registry’s checkpoints, check each extends the last (consistency proofs), cosign it; ' +
        `on a fork or rollback, save the evidence and exit ${ExitCode.logAlarm}`,
    )
    .requiredOption('--witness-key <file>', 'the witness’s secret key file (robotid log witness-key)')
    .requiredOption(
      '--state-dir <dir>',
      'where the witness keeps the last checkpoint it cosigned, and evidence',
    )
    .option(
      '--log-key <key>',
      'the registry’s log verifier key, or a file holding it (default: $ROBOTID_LOG_KEY)',
    )
    .option('--interval <seconds>', 'time between rounds', positiveInteger, 10)
    .option('--once', 'one round, then exit')
    .action(
      async (
        opts: { witnessKey: string; stateDir: string; logKey?: string; interval: number; once?: boolean },
        cmd: Command,
      ) => {
        const ctx = CliContext.of(cmd);
        let witnessKey;
        try {
          witnessKey = parseWitnessSignerKey(readKeyText(opts.witnessKey));
        } catch (error) {
          throw new CliError(ExitCode.usage, `not a witness key: ${(error as Error).message}`);
        }
        const witness = new Witness(
          registryOver(ctx.client()),
          logVerifierKey(opts.logKey),
          witnessKey,
          opts.stateDir,
        );
        for (;;) {
          try {
            const result = await witness.step();
            out(
              result.outcome === 'cosigned'
                ? `cosigned tree size ${result.size}${result.previousSize === null ? ' (first checkpoint seen)' : `, consistent with ${result.previousSize}`}`
                : `no new checkpoint (size ${result.size})`,
            );
          } catch (error) {
            if (error instanceof WitnessAlarm)
              throw new CliError(ExitCode.logAlarm, `ALARM: ${error.message}`, [
                `evidence saved in ${error.evidenceDir}`,
              ]);
            // A network error or a bad answer: not evidence of a fork; said, and tried again next round.
            if (opts.once) throw error;
            err(`round failed: ${(error as Error).message}`);
          }
          if (opts.once) return;
          await sleep(opts.interval * 1000);
        }
      },
    );
}
