/**
 * Keys on the command line: the registry's published log key, given as itself or as a file holding it — the
 * verifier key string, or the JSON that SD-JWT VC tooling publishes (a JWK Set, or JWT VC Issuer Metadata).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseVerifierKey, type KeyVerifier } from '../../../log/note.js';
import { verifierFromJwk } from '../../../passport/jwk.js';
import { CliError, ExitCode } from '../exit-codes.js';

/** A key given as itself or as a file holding it. */
export function readKeyText(value: string): string {
  return existsSync(value) ? readFileSync(value, 'utf8').trim() : value.trim();
}

export interface PublishedKey {
  key: KeyVerifier;
  /** The `issuer` of JWT VC Issuer Metadata, when the key came in one: passports must name it as `iss`. */
  issuer?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{keys: [jwk]}` or `{issuer, jwks: {keys: [jwk]}}`, holding the one key. */
function keyFromJson(text: string): PublishedKey {
  const json: unknown = JSON.parse(text);
  const metadata = isObject(json) && isObject(json.jwks) ? json : undefined;
  const set = metadata ? metadata.jwks : json;
  const keys = isObject(set) && Array.isArray(set.keys) ? (set.keys as unknown[]) : undefined;
  if (!keys)
    throw new Error('neither a JWK Set ({"keys": […]}) nor JWT VC Issuer Metadata ({"issuer", "jwks"})');
  if (keys.length !== 1 || !isObject(keys[0]))
    throw new Error(`the JWK Set holds ${keys.length} keys: give the one key that signed`);
  const key = verifierFromJwk(keys[0]);
  if (metadata === undefined) return { key };
  if (typeof metadata.issuer !== 'string') throw new Error('the issuer metadata has no "issuer"');
  return { key, issuer: metadata.issuer };
}

/** `--log-key`, else $ROBOTID_LOG_KEY: the registry's published key, and its issuer when the JSON names one. */
export function publishedKey(value: string | undefined): PublishedKey {
  const text = value ?? process.env.ROBOTID_LOG_KEY;
  if (!text)
    throw new CliError(
      ExitCode.usage,
      'the registry’s log key is needed: pass --log-key <key or file> or set ROBOTID_LOG_KEY',
      [
        'get it from the registry’s operator, or `robotid log key` (over the network, so compare it with a published copy)',
      ],
    );
  const keyText = readKeyText(text);
  try {
    return keyText.startsWith('{') ? keyFromJson(keyText) : { key: parseVerifierKey(keyText) };
  } catch (error) {
    throw new CliError(ExitCode.usage, `not a log verifier key: ${(error as Error).message}`);
  }
}

/** `--log-key`, else $ROBOTID_LOG_KEY: the registry's published verifier key. */
export const logVerifierKey = (value: string | undefined): KeyVerifier => publishedKey(value).key;
