/**
 * A registry that starts (serve, demo) refuses a log whose name disagrees with its public URL unless the operator
 * said the log keeps its name (docs/operations.md, "Moving a registry"). Witnesses and verifiers pin a log's
 * origin together with its key, so the name cannot follow the URL silently; and a log served at a URL that is not
 * its name breaks the C2SP rule (origin = the log's URL prefix) that transparency tools use to find it.
 */
import { existsSync } from 'node:fs';
import { conflict, type FieldIssue } from '../domain/errors.js';
import { parseSignerKey } from '../log/note.js';
import { TLOG_PATH } from '../log/tlog-tiles.js';
import type { Store } from '../store/store.js';
import { defaultLogOrigin, logKeyFile, type Config } from './config.js';
import { loadOrCreateLogKey } from './keys/log-key.js';

type OriginSettings = Pick<Config, 'publicBaseUrl' | 'publicUrlFrom' | 'logOrigin'>;

/**
 * The log's signing key, read or (for a new log) created. A registry that `starts` also refuses a key that does
 * not name the log its store holds (the origin of its latest signed checkpoint), and a public URL that disagrees.
 */
export async function logKeyFor(
  config: OriginSettings & Pick<Config, 'dataDir'>,
  store: Store,
  starts: boolean,
): Promise<string> {
  const file = logKeyFile(config);
  const latest = starts ? await store.read((r) => r.latestCheckpoint()) : null;
  // The first line of a checkpoint is its origin (C2SP tlog-checkpoint).
  const signedAs = latest?.note.slice(0, latest.note.indexOf('\n'));
  if (signedAs !== undefined && !existsSync(file))
    throw conflict(
      'log-key-missing',
      `the store holds a log signed as "${signedAs}", but ${file} (its signing key) is missing: refusing to ` +
        'start a second log over it; restore the key from the backup (robotid restore) or copy it from the ' +
        'other server processes on the database',
    );
  const key = loadOrCreateLogKey(file, config.logOrigin, defaultLogOrigin(config));
  if (!starts) return key;
  const name = parseSignerKey(key).name;
  if (signedAs !== undefined && signedAs !== name)
    throw conflict(
      'log-origin-mismatch',
      `the log's checkpoints in the store are signed as "${signedAs}", but the log key in ${file} is named ` +
        `"${name}": refusing to start; use the log-signer.key that signed them (from the backup, or from the ` +
        'other server processes on the database)',
    );
  assertLogNameAgrees(config, name, file);
  return key;
}

/** Throws unless the log named `logName` (its key in `keyFile`) may be served at the configured public URL. */
function assertLogNameAgrees(config: OriginSettings, logName: string, keyFile: string): void {
  // An explicit origin is the acknowledgement; the key loader has checked that it is the key's name.
  if (config.logOrigin !== undefined) return;
  const implied = defaultLogOrigin(config);
  if (logName === implied) return;
  const from =
    config.publicUrlFrom === 'default'
      ? 'the default, as neither --public-url nor ROBOTID_PUBLIC_URL is set'
      : config.publicUrlFrom;
  const hints: FieldIssue[] = [];
  if (logName.endsWith(TLOG_PATH))
    hints.push({
      field: '--public-url',
      message: `if the registry is still reached at ${logName.slice(0, -TLOG_PATH.length)}, start it with that public URL (http:// or https://)`,
    });
  hints.push({
    field: 'ROBOTID_LOG_ORIGIN',
    message:
      `if the registry moved to ${config.publicBaseUrl}, keep the log's name: ROBOTID_LOG_ORIGIN=${logName} ` +
      `(or --log-origin ${logName}); see docs/operations.md, "Moving a registry"`,
  });
  throw conflict(
    'log-origin-mismatch',
    `the log is named "${logName}" (its key: ${keyFile}), but the public URL ${config.publicBaseUrl} (${from}) ` +
      `would name it "${implied}": refusing to start, because witnesses and verifiers pin a log's name with its key`,
    hints,
  );
}
