/**
 * The registry's key-encryption keys for personal data, by version: the newest wraps new data keys, the older
 * ones still unwrap what they wrapped until rotation has rewrapped it and they are retired. Pure: the file that
 * holds the ring is src/main/keys/personal-data-keys.ts.
 */
import { randomBytes } from 'node:crypto';
import { KEY_BYTES, type Kek } from './envelope.js';

export interface KeyRingEntry extends Kek {
  createdAt: string;
}

/** The ring as its JSON file holds it. */
interface KeyRingJson {
  keys: { version: number; createdAt: string; key: string }[];
}

export class KeyRing {
  private constructor(readonly entries: readonly KeyRingEntry[]) {}

  /** A ring of one new key, version 1. */
  static generate(createdAt: string): KeyRing {
    return new KeyRing([{ version: 1, createdAt, key: randomBytes(KEY_BYTES) }]);
  }

  /** Reads the JSON file's text; `source` names it in errors. */
  static parse(text: string, source: string): KeyRing {
    const fail = (why: string) => new Error(`${source} is not a personal-data key ring: ${why}`);
    let json: KeyRingJson;
    try {
      json = JSON.parse(text) as KeyRingJson;
    } catch {
      throw fail('not JSON');
    }
    if (!Array.isArray(json?.keys) || json.keys.length === 0) throw fail('it holds no keys');
    const entries = json.keys.map((k, i) => {
      const key = Buffer.from(String(k.key), 'base64');
      if (!Number.isSafeInteger(k.version) || k.version < 1) throw fail(`keys[${i}] has no whole version`);
      if (key.length !== KEY_BYTES) throw fail(`keys[${i}] is not ${KEY_BYTES} bytes of base64`);
      return { version: k.version, createdAt: String(k.createdAt), key };
    });
    if (new Set(entries.map((e) => e.version)).size !== entries.length) throw fail('a version is repeated');
    return new KeyRing([...entries].sort((a, b) => a.version - b.version));
  }

  toJson(): string {
    const keys = this.entries.map((e) => ({
      version: e.version,
      createdAt: e.createdAt,
      key: e.key.toString('base64'),
    }));
    return `${JSON.stringify({ keys }, null, 2)}\n`;
  }

  /** The key new data keys are wrapped with. */
  newest(): KeyRingEntry {
    return this.entries[this.entries.length - 1]!;
  }

  get(version: number): Kek | undefined {
    return this.entries.find((e) => e.version === version);
  }

  versions(): number[] {
    return this.entries.map((e) => e.version);
  }

  /** This ring and a new newest key. */
  withNewKey(createdAt: string): KeyRing {
    const version = this.newest().version + 1;
    return new KeyRing([...this.entries, { version, createdAt, key: randomBytes(KEY_BYTES) }]);
  }

  /** The newest key alone: the others retired. */
  newestOnly(): KeyRing {
    return new KeyRing([this.newest()]);
  }
}
