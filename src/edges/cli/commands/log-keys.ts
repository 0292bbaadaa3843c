/** Keys on the command line: the registry's published log key, given as itself or as a file holding it. */
import { existsSync, readFileSync } from 'node:fs';
import { parseVerifierKey, type KeyVerifier } from '../../../log/note.js';
import { CliError, ExitCode } from '../exit-codes.js';

/** A key given as itself or as a file holding it. */
export function readKeyText(value: string): string {
  return existsSync(value) ? readFileSync(value, 'utf8').trim() : value.trim();
}

/** `--log-key`, else $ROBOTID_LOG_KEY: the registry's published verifier key. */
export function logVerifierKey(value: string | undefined): KeyVerifier {
  const text = value ?? process.env.ROBOTID_LOG_KEY;
  if (!text)
    throw new CliError(
      ExitCode.usage,
      'the registry’s log key is needed: pass --log-key <key or file> or set ROBOTID_LOG_KEY',
      [
        'get it from the registry’s operator, or `robotid log key` (over the network, so compare it with a published copy)',
      ],
    );
  try {
    return parseVerifierKey(readKeyText(text));
  } catch (error) {
    throw new CliError(ExitCode.usage, `not a log verifier key: ${(error as Error).message}`);
  }
}
