import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Public repositories fetched onto this machine (the search tool's `fetch`: bare git directories under
 * `ROBOTID_MIRRORS`, default /work/.mirror, as `owner+name/repo`). Their files are read in place, never committed:
 * GS1's EPCIS schema and examples are under GS1's IP policy, and fetched material stays out of the repository.
 * A test that needs one skips, saying what to fetch, when it is absent; the shared vectors (testdata.ts) never skip.
 */
const ROOT = process.env.ROBOTID_MIRRORS ?? '/work/.mirror';

export interface Mirror {
  /** The repository as owner/name. */
  repo: string;
  /** A folder holding the files under `paths` from the mirror's newest commit. */
  dir: string;
  commit: string;
}

const gitDirOf = (repo: string) => join(ROOT, repo.replace('/', '+'), 'repo');

/** Extracts `paths` (folders or files) of the fetched `repo` into a temporary folder; undefined when not fetched. */
export function openMirror(repo: string, paths: string[]): Mirror | undefined {
  const gitDir = gitDirOf(repo);
  if (!existsSync(gitDir)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), `robotid-mirror-${repo.replace('/', '+')}-`));
  // The copy lives as long as the test file's process: nothing is left in the temporary folder after a run.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1 << 28 });
  const archive = git('archive', '--format=tar', 'HEAD', ...paths);
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  return { repo, dir, commit: git('rev-parse', 'HEAD').toString().trim() };
}

/** The reason a test gives when it skips for want of a fetched repository. */
export const notFetched = (repo: string) =>
  `${repo} is not fetched here (${gitDirOf(repo)}): fetch github:${repo}, or set ROBOTID_MIRRORS`;
