/** How hard passwords are to guess from their hashes, and how long a session lasts. */

/** scrypt's cost: N = 2^logN, block size r, parallelism p. */
export interface ScryptCost {
  logN: number;
  r: number;
  p: number;
}

export interface PeopleSettings {
  /** The cost new password hashes are made with; a hash keeps its own, so raising this leaves old ones valid. */
  passwordCost: ScryptCost;
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however active. */
  sessionAbsoluteMs: number;
}

/**
 * OWASP's Password Storage Cheat Sheet: scrypt with N = 2^17, r = 8, p = 1 (128 MiB of memory per hash).
 * Tests lower the cost through the composition (openContext); nothing in production does.
 */
export const RECOMMENDED_SCRYPT: ScryptCost = { logN: 17, r: 8, p: 1 };

export const DEFAULT_PEOPLE_SETTINGS: PeopleSettings = {
  passwordCost: RECOMMENDED_SCRYPT,
  sessionIdleMs: 30 * 60_000,
  sessionAbsoluteMs: 12 * 3_600_000,
};

export const peopleSettings = (ctx: { people?: PeopleSettings }) => ctx.people ?? DEFAULT_PEOPLE_SETTINGS;
