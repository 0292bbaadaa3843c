/**
 * Key rotation: a new key-encryption key joins the ring and becomes the newest; every data key is then rewrapped
 * under it in batches (the ciphertexts stay as they are). Retiring the older keys afterwards is what makes copies
 * of erased records (in backups, or in free space of the database files) unreadable for good.
 */
import type { Reader, Store, Tx, WrappedKeyRecord } from '../../store/store.js';
import { rewrap, type Kek } from './envelope.js';
import type { KeyRing } from './key-ring.js';

/** Where the ring lives (src/main/keys/personal-data-keys.ts). */
export interface KeyRingFile {
  read(): KeyRing;
  write(ring: KeyRing): void;
}

export interface RotationReport {
  newVersion: number;
  rewrapped: number;
  /** Parties whose data key no key of the ring unwraps (their data is unreadable already, say altered). */
  unreadable: string[];
  retired: number[];
  /** Data keys still under an older key after rotation (written meanwhile): retiring waits for them. */
  stillUnderOlderKeys: number;
}

const BATCH = 500;

/** Where data keys wrapped under the ring are: persons' personal data, and users' TOTP secrets (app/people). */
interface WrappedKeys {
  list(r: Reader, kekVersion: number, after: string, limit: number): Promise<WrappedKeyRecord[]>;
  rewrap(tx: Tx, previous: WrappedKeyRecord, kekVersion: number, wrappedKey: Buffer): Promise<boolean>;
  count(r: Reader): Promise<Map<number, number>>;
}

const WRAPPED_KEYS: WrappedKeys[] = [
  {
    list: (r, kekVersion, after, limit) => r.listKeysWrappedOtherThan(kekVersion, after, limit),
    rewrap: (tx, previous, kekVersion, wrappedKey) =>
      tx.rewrapPersonalDataKey(previous, kekVersion, wrappedKey),
    count: (r) => r.countWrappedKeysByVersion(),
  },
  {
    list: async (r, kekVersion, after, limit) =>
      (await r.listUserKeysWrappedOtherThan(kekVersion, after, limit)).map((u) => ({
        partyId: u.userId,
        kekVersion: u.kekVersion,
        wrappedKey: u.wrappedKey,
      })),
    rewrap: (tx, previous, kekVersion, wrappedKey) =>
      tx.rewrapUserKey(previous.partyId, previous.wrappedKey, kekVersion, wrappedKey),
    count: (r) => r.countUserKeysByVersion(),
  },
];

function rewrapped(ring: KeyRing, newest: Kek, row: WrappedKeyRecord): Buffer | null {
  const from = ring.get(row.kekVersion);
  if (!from) return null;
  try {
    return rewrap(row.wrappedKey, row.partyId, from, newest);
  } catch {
    return null;
  }
}

/** One pass over the data keys not under the newest key, of every kind; each batch is its own unit of work. */
async function rewrapAll(store: Store, ring: KeyRing, batchSize: number) {
  let count = 0;
  const unreadable: WrappedKeyRecord[] = [];
  for (const keys of WRAPPED_KEYS) {
    const pass = await rewrapKind(store, ring, batchSize, keys);
    count += pass.count;
    unreadable.push(...pass.unreadable);
  }
  return { count, unreadable };
}

async function rewrapKind(store: Store, ring: KeyRing, batchSize: number, keys: WrappedKeys) {
  const newest = ring.newest();
  let count = 0;
  const unreadable: WrappedKeyRecord[] = [];
  for (let after = ''; ;) {
    const batch = await store.read((r) => keys.list(r, newest.version, after, batchSize));
    if (batch.length === 0) break;
    const changes = batch.flatMap((row) => {
      const wrappedKey = rewrapped(ring, newest, row);
      if (!wrappedKey) unreadable.push(row);
      return wrappedKey ? [{ row, wrappedKey }] : [];
    });
    count += await store.write(async (tx) => {
      let done = 0;
      for (const { row, wrappedKey } of changes)
        if (await keys.rewrap(tx, row, newest.version, wrappedKey)) done++;
      return done;
    });
    after = batch[batch.length - 1]!.partyId;
  }
  return { count, unreadable };
}

export async function rotatePersonalDataKeys(
  store: Store,
  file: KeyRingFile,
  options: { retireOld: boolean; now: Date; batchSize?: number },
): Promise<RotationReport> {
  const ring = file.read().withNewKey(options.now.toISOString());
  file.write(ring);
  const batchSize = options.batchSize ?? BATCH;
  const first = await rewrapAll(store, ring, batchSize);
  let report: RotationReport = {
    newVersion: ring.newest().version,
    rewrapped: first.count,
    unreadable: first.unreadable.map((row) => row.partyId),
    retired: [],
    stillUnderOlderKeys: 0,
  };
  if (options.retireOld) report = await retireOlderKeys(store, file, ring, report, batchSize);
  await store.write((tx) =>
    tx.insertAudit({
      at: new Date().toISOString(),
      orgId: null,
      keyId: null,
      action: 'personal-data.rotate-keys',
      target: null,
      outcome: 'success',
      detail: `v${report.newVersion}; retired ${report.retired.map((v) => `v${v}`).join(' ') || 'none'}`,
    }),
  );
  return report;
}

/**
 * Drops the older keys once no data key is wrapped under them. A server that read the ring just before it changed
 * may still have wrapped one under the old key: a second pass catches those, and a key still in use stays. A data
 * key that does not unwrap (altered) is unreadable whatever is retired, so it does not hold the old keys back.
 */
async function retireOlderKeys(
  store: Store,
  file: KeyRingFile,
  ring: KeyRing,
  report: RotationReport,
  batchSize: number,
): Promise<RotationReport> {
  const second = await rewrapAll(store, ring, batchSize);
  const counts = new Map<number, number>();
  for (const keys of WRAPPED_KEYS) {
    for (const [version, n] of await store.read((r) => keys.count(r))) {
      counts.set(version, (counts.get(version) ?? 0) + n);
    }
  }
  const older = ring.versions().filter((v) => v !== ring.newest().version);
  const stuck = second.unreadable.filter((row) => older.includes(row.kekVersion)).length;
  const stillUnderOlderKeys = older.reduce((sum, v) => sum + (counts.get(v) ?? 0), 0) - stuck;
  const unreadable = [...new Set([...report.unreadable, ...second.unreadable.map((row) => row.partyId)])];
  const base = { ...report, rewrapped: report.rewrapped + second.count, unreadable, stillUnderOlderKeys };
  if (stillUnderOlderKeys > 0) return base;
  file.write(ring.newestOnly());
  return { ...base, retired: older };
}
