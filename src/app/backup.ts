/**
 * Backup and restore of a whole registry: the database (a consistent online copy, by the adapter), the log's
 * signing key, and a manifest saying what the copy holds, so that a restore can prove it got that back: the same
 * log size and the same latest signed checkpoint, whose root the restored tree still has.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import type { BackupContents, StoreBackups } from '../store/backups.js';
import type { Store } from '../store/store.js';
import { rootAt } from './log/tree.js';

export const MANIFEST_FILE = 'manifest.json';
const FORMAT = 'robotid-backup/1';

export interface BackupManifest {
  format: typeof FORMAT;
  store: 'sqlite' | 'postgres';
  /** The latest migration applied in the copy (numbered per store kind). */
  schemaVersion: number;
  /** PostgreSQL: the schema dumped (a restore goes into the same schema name). */
  schema?: string;
  logSize: number;
  /** The latest signed checkpoint in the copy: size and base64 root. */
  checkpoint: { size: number; rootHash: string } | null;
  createdAt: string;
  files: string[];
}

/** What a registry's log holds now, and whether its stored tree still has the root signed at its checkpoint. */
export interface LogState {
  logSize: number;
  checkpoint: { size: number; rootHash: string } | null;
  /** The root recomputed from the stored tiles at the checkpoint's size (base64). */
  recomputedRoot: string | null;
}

export async function logStateOf(store: Store): Promise<LogState> {
  return store.read(async (r) => {
    const checkpoint = await r.latestCheckpoint();
    return {
      logSize: await r.logSize(),
      checkpoint: checkpoint && { size: checkpoint.size, rootHash: checkpoint.rootHash.toString('base64') },
      recomputedRoot: checkpoint && (await rootAt(r, checkpoint.size)).toString('base64'),
    };
  });
}

/** Differences between what was expected and a log's state, as sentences; none if they agree. */
export function logStateProblems(
  expected: { logSize: number; checkpoint: { size: number; rootHash: string } | null },
  actual: LogState,
): string[] {
  const problems: string[] = [];
  if (actual.logSize !== expected.logSize)
    problems.push(`log size is ${actual.logSize}, expected ${expected.logSize}`);
  const want = expected.checkpoint ? `${expected.checkpoint.size} ${expected.checkpoint.rootHash}` : 'none';
  const got = actual.checkpoint ? `${actual.checkpoint.size} ${actual.checkpoint.rootHash}` : 'none';
  if (want !== got) problems.push(`latest signed checkpoint is ${got}, expected ${want}`);
  if (actual.checkpoint && actual.recomputedRoot !== actual.checkpoint.rootHash)
    problems.push(
      `the stored tree gives root ${actual.recomputedRoot} at size ${actual.checkpoint.size}, not the signed ${actual.checkpoint.rootHash}`,
    );
  return problems;
}

function assertEmptyDestination(dir: string) {
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new DomainError('invalid', 'destination-not-empty', `${dir} is a file: back up into a directory`);
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new DomainError(
      'invalid',
      'destination-not-empty',
      `${dir} is not empty: back up into a new or empty directory`,
    );
}

/** Writes the backup into `dir` (created; must be empty); on failure removes what it wrote. */
export async function backupRegistry(
  backups: StoreBackups,
  keyFile: string,
  dir: string,
  now: Date,
): Promise<BackupManifest> {
  assertEmptyDestination(dir);
  if (!existsSync(keyFile))
    throw new DomainError('not_found', 'no-log-key', `there is no log signing key at ${keyFile}`);
  mkdirSync(dir, { recursive: true });
  try {
    const contents = await backups.dump(dir);
    const keyName = basename(keyFile);
    // The key is the registry's signing identity: the copy stays readable by its owner only.
    writeFileSync(join(dir, keyName), readFileSync(keyFile), { mode: 0o600, flag: 'wx' });
    const manifest = manifestOf(backups.kind, contents, [...contents.files, keyName], now);
    writeFileSync(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    return manifest;
  } catch (error) {
    for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
    throw error;
  }
}

function manifestOf(
  store: BackupManifest['store'],
  contents: BackupContents,
  files: string[],
  now: Date,
): BackupManifest {
  return {
    format: FORMAT,
    store,
    schemaVersion: contents.schemaVersion,
    ...(contents.schema === undefined ? {} : { schema: contents.schema }),
    logSize: contents.logSize,
    checkpoint: contents.checkpoint && {
      size: contents.checkpoint.size,
      rootHash: contents.checkpoint.rootHash.toString('base64'),
    },
    createdAt: now.toISOString(),
    files,
  };
}

export function readManifest(dir: string): BackupManifest {
  const file = join(dir, MANIFEST_FILE);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  } catch (error) {
    throw new DomainError('invalid', 'not-a-backup', `${file} cannot be read: ${(error as Error).message}`);
  }
  if (manifest.format !== FORMAT || !Array.isArray(manifest.files) || typeof manifest.logSize !== 'number')
    throw new DomainError('invalid', 'not-a-backup', `${file} is not a ${FORMAT} manifest`);
  return manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  restored: LogState;
  /** Where the restored registry differs from its manifest; empty when the restore is whole. */
  problems: string[];
}

/** Restores the backup in `dir` into an empty destination, then checks it holds what the manifest says. */
export async function restoreRegistry(
  backups: StoreBackups,
  keyFile: string,
  dir: string,
): Promise<RestoreResult> {
  const manifest = readManifest(dir);
  if (manifest.store !== backups.kind)
    throw new DomainError(
      'invalid',
      'store-differs',
      `the backup is of a ${manifest.store} registry and the destination is ${backups.kind} (${backups.location}); to move a registry to PostgreSQL use robotid migrate-store`,
    );
  const keyPath = join(dir, basename(keyFile));
  if (!manifest.files.includes(basename(keyFile)) || !existsSync(keyPath))
    throw new DomainError('invalid', 'not-a-backup', `${keyPath} is missing: the backup is incomplete`);
  const keyCopy = readFileSync(keyPath);
  if (existsSync(keyFile) && !readFileSync(keyFile).equals(keyCopy))
    throw new DomainError(
      'invalid',
      'key-exists',
      `${keyFile} holds another log signing key: restore into a data directory without one`,
    );
  await backups.restore(dir, {
    schemaVersion: manifest.schemaVersion,
    logSize: manifest.logSize,
    checkpoint: null,
    files: manifest.files,
    ...(manifest.schema === undefined ? {} : { schema: manifest.schema }),
  });
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, keyCopy, { mode: 0o600, flag: 'wx' });
  }
  const store = backups.open();
  try {
    const restored = await logStateOf(store);
    return { manifest, restored, problems: logStateProblems(manifest, restored) };
  } finally {
    await store.close();
  }
}
