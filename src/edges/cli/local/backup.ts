/** `robotid backup`, `restore` and `migrate-store`: a registry's data on the machine that holds it. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { MigrateReport } from '../../../app/migrate-store.js';
import type { RunState } from '../program-base.js';
import { CliContext } from '../context.js';
import { ExitCode, usageError } from '../exit-codes.js';
import { err, out, printJson } from '../output.js';
import { formatCount } from '../progress.js';
import type { LocalRegistry } from './registry.js';
import { parsePostgresLocation, parseSqliteLocation } from './store-locations.js';

const DATA_DIR_HELP = 'the registry data directory (default: $ROBOTID_DATA_DIR, else ./data)';

const checkpointText = (cp: { size: number; rootHash: string } | null) =>
  cp ? `checkpoint at size ${formatCount(cp.size)}, root ${cp.rootHash}` : 'no signed checkpoint';

export function registerBackup(program: Command, state: RunState, local: LocalRegistry) {
  program
    .command('backup <dir>')
    .description(
      'copy the registry (database, log signing key, manifest) into a new or empty directory, while it runs: SQLite online backup, or pg_dump of the schema when DATABASE_URL is set',
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(async (dir: string, opts: { dataDir?: string }, cmd: Command) => {
      const [data, { backupRegistry }] = await Promise.all([
        local.dataDirectory(opts.dataDir),
        import('../../../app/backup.js'),
      ]);
      const backups = await data.backups();
      const manifest = await backupRegistry(backups, data.logKeyFile, dir, new Date());
      if (CliContext.of(cmd).json) return printJson(manifest);
      out(
        `backed up ${backups.location} to ${dir}: log size ${formatCount(manifest.logSize)}, ${checkpointText(manifest.checkpoint)}`,
      );
    });

  program
    .command('restore <dir>')
    .description(
      'restore a backup into an empty data directory (or, with DATABASE_URL, an empty or new schema), then check it holds the log and checkpoint its manifest names',
    )
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .action(async (dir: string, opts: { dataDir?: string }, cmd: Command) => {
      const [data, { restoreRegistry }] = await Promise.all([
        local.dataDirectory(opts.dataDir),
        import('../../../app/backup.js'),
      ]);
      const backups = await data.backups();
      const result = await restoreRegistry(backups, data.logKeyFile, dir);
      if (CliContext.of(cmd).json) printJson(result);
      else {
        for (const problem of result.problems) err(`mismatch: ${problem}`);
        out(
          `${result.problems.length === 0 ? 'RESTORED' : 'RESTORED WITH MISMATCHES'}: ${backups.location}, log size ${formatCount(result.restored.logSize)}, ${checkpointText(result.restored.checkpoint)}` +
            (result.problems.length === 0 ? '; run robotid audit to check every event' : ''),
        );
      }
      if (result.problems.length > 0) state.exitCode = ExitCode.checkFailed;
    });

  registerMigrateStore(program, state, local);
}

/** Where the log key goes: refused up front if another key is there, so that nothing is copied in vain. */
function keyDestination(keyFile: string, toDataDir: string | undefined): string | undefined {
  if (toDataDir === undefined) return undefined;
  if (!existsSync(toDataDir)) throw usageError(`--to-data-dir ${toDataDir} does not exist`);
  if (!existsSync(keyFile)) return undefined;
  const target = join(toDataDir, 'log-signer.key');
  if (existsSync(target) && !readFileSync(target).equals(readFileSync(keyFile)))
    throw usageError(`${target} holds another log signing key; it is not overwritten`);
  return target;
}

/** Puts the log key where it goes, or says where it must go. */
function placeKey(keyFile: string, target: string | undefined): string {
  if (!existsSync(keyFile))
    return `no log signing key at ${keyFile}: the target cannot sign checkpoints under the old key`;
  if (target === undefined)
    return `copy ${keyFile} to the PostgreSQL registry's data directory (<data dir>/log-signer.key, mode 0600) before it starts, or it will create a new key`;
  if (existsSync(target)) return `the log signing key is already in ${target}`;
  writeFileSync(target, readFileSync(keyFile), { mode: 0o600, flag: 'wx' });
  return `copied the log signing key to ${target}`;
}

/** Progress on stderr: a line when a table is done, and every few seconds while a big one is copied. */
function progressReporter(quiet: boolean) {
  let lastAt = Date.now();
  return (table: string, copied: number, total: number) => {
    if (quiet) return;
    const now = Date.now();
    if (copied < total && now - lastAt < 2000) return;
    lastAt = now;
    err(`${table}: ${formatCount(copied)} of ${formatCount(total)} rows`);
  };
}

function registerMigrateStore(program: Command, state: RunState, local: LocalRegistry) {
  program
    .command('migrate-store')
    .description(
      'copy a whole registry from SQLite into an empty PostgreSQL database or schema (migrated first), then verify row counts, the log and every signed checkpoint',
    )
    .requiredOption('--from <location>', 'sqlite:<data directory or .sqlite file>')
    .requiredOption('--to <url>', 'postgres://user@host:port/database[?schema=name]')
    .option(
      '--to-data-dir <dir>',
      'the PostgreSQL registry’s data directory: the log signing key is copied there',
    )
    .action(async (opts: { from: string; to: string; toDataDir?: string }, cmd: Command) => {
      const from = parseSqliteLocation(opts.from);
      const to = parsePostgresLocation(opts.to);
      const keyTarget = keyDestination(from.keyFile, opts.toDataDir);
      const [{ migrateStore }, { parseSignerKey, parseVerifierKey }] = await Promise.all([
        import('../../../app/migrate-store.js'),
        import('../../../log/note.js'),
      ]);
      const json = CliContext.of(cmd).json;
      const verifier = existsSync(from.keyFile)
        ? parseVerifierKey(parseSignerKey(readFileSync(from.keyFile, 'utf8').trim()).verifierKey)
        : undefined;
      const source = await local.openSqliteStore(from.file);
      const target = await local.openPostgresStore(to.url, to.schema);
      let report;
      try {
        report = await migrateStore(source, target, {
          progress: progressReporter(json),
          ...(verifier ? { verifier } : {}),
        });
      } finally {
        await Promise.all([source.close(), target.close()]);
      }
      const key = report.ok ? placeKey(from.keyFile, keyTarget) : 'log signing key not copied';
      if (json) printJson({ ...report, key });
      else printMigrateReport(report, key);
      if (!report.ok) state.exitCode = ExitCode.checkFailed;
    });
}

function printMigrateReport(report: MigrateReport, key: string) {
  for (const problem of report.problems) err(`mismatch: ${problem}`);
  const rows = report.tables.reduce((sum, t) => sum + t.copied, 0);
  const audit = report.audit
    ? `audit ${report.audit.ok ? 'passed' : 'FAILED'} (${report.audit.checkpointsChecked} signed checkpoints)`
    : 'not audited (no log key beside the source)';
  out(
    `${report.ok ? 'MIGRATED' : 'MIGRATION FAILED VERIFICATION'}: ${formatCount(rows)} rows in ${report.tables.length} tables, ` +
      `log size ${formatCount(report.target.logSize)}, ${checkpointText(report.target.checkpoint)}, ${audit}`,
  );
  out(key);
}
