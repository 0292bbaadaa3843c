/**
 * SD-JWT (RFC 9901), the flat profile: selectively disclosable claims are top-level object properties only (no
 * array elements, no nested or recursive disclosures), no key binding, SHA-256 digests. The JWS itself (signing,
 * verifying, the header's `alg` and `crit`) is jose's; what is ours is what SD-JWT adds: disclosures, digests,
 * presenting. Issue signs the JWT and makes one disclosure per claim; present keeps the disclosures the holder
 * chooses; verify is strict, because two verifiers that disagree on what a presentation discloses would let one
 * signature vouch for two statements. Everything outside the profile is refused rather than half-understood.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  SignJWT,
  compactVerify,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type CryptoKey,
  type KeyObject,
} from 'jose';

export const SD_ALG = 'sha-256';
/** Presentations are small (a few claims); a limit keeps a hostile file from making us parse without end. */
export const MAX_SD_JWT_BYTES = 256 * 1024;
/** Names that mean something to SD-JWT itself and may never be a disclosed claim's name (RFC 9901 §4.2.1). */
const RESERVED_NAMES = new Set(['_sd', '...']);
const SHA256_DIGEST = /^[A-Za-z0-9_-]{43}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export class SdJwtError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SdJwtError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const encodeBase64Url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');

/**
 * RFC 4648 §5 base64url without padding, strictly: Buffer.from skips junk and accepts '+', '/', '=' and non-zero
 * trailing bits, so only text in the alphabet that re-encodes to itself is accepted (one byte string, one spelling).
 */
export function decodeBase64UrlStrict(text: string): Buffer | undefined {
  if (!BASE64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

/** A disclosure's digest: base64url(SHA-256(the ASCII of the disclosure as sent)), never of the decoded JSON. */
export const disclosureDigest = (disclosure: string) =>
  createHash('sha256').update(disclosure, 'ascii').digest('base64url');

/** 128 bits of salt, as RFC 9901 §9.3 recommends: a digest must not be guessable from the claim's value. */
const randomSalt = () => randomBytes(16).toString('base64url');

/** An object-property disclosure: base64url(JSON [salt, name, value]). */
export function makeDisclosure(name: string, value: unknown, salt: string = randomSalt()): string {
  if (RESERVED_NAMES.has(name)) throw new SdJwtError(`claim name "${name}" is reserved`);
  return encodeBase64Url(JSON.stringify([salt, name, value]));
}

/** Decoys (RFC 9901 §4.2.5): digests of random bytes, so the number of hidden claims is not revealed exactly. */
const decoyDigest = () => createHash('sha256').update(randomBytes(32)).digest('base64url');

export interface IssueInput {
  /** The JWS header: `alg` (a JWS algorithm jose knows for the key), `typ`, `kid`. */
  header: { alg: string; typ: string; kid: string };
  /** Claims every presentation shows. */
  clear: Json;
  /** Claims the holder may each disclose or withhold. */
  disclosable: Json;
  /** Decoy digests added to `_sd`. */
  decoys?: number;
  /** The issuer's private key. */
  key: KeyObject | CryptoKey;
}

/** The issuer's SD-JWT: `<JWT>~<disclosure>~…~`, every disclosure included. */
export async function issueSdJwt(input: IssueInput): Promise<string> {
  for (const name of Object.keys(input.disclosable))
    if (name in input.clear) throw new SdJwtError(`claim "${name}" is both clear and disclosable`);
  const disclosures = Object.entries(input.disclosable).map(([name, value]) => makeDisclosure(name, value));
  const decoys = Array.from({ length: input.decoys ?? 0 }, decoyDigest);
  // Sorted, so the order of `_sd` reveals nothing about which digest is which claim (RFC 9901 §4.2.4.1).
  const digests = [...disclosures.map(disclosureDigest), ...decoys].sort();
  const payload = { ...input.clear, _sd: digests, _sd_alg: SD_ALG };
  const jwt = await new SignJWT(payload).setProtectedHeader(input.header).sign(input.key);
  return [jwt, ...disclosures, ''].join('~');
}

/** The parts of a compact SD-JWT without key binding; throws on anything else. */
export function splitSdJwt(text: string): { jwt: string; disclosures: string[] } {
  if (Buffer.byteLength(text) > MAX_SD_JWT_BYTES)
    throw new SdJwtError(`larger than ${MAX_SD_JWT_BYTES} bytes`);
  const parts = text.split('~');
  const jwt = parts[0]!;
  const tail = parts.pop()!;
  if (parts.length === 0) throw new SdJwtError('not an SD-JWT: no "~" after the JWT');
  if (tail !== '')
    throw new SdJwtError(
      tail.includes('.')
        ? 'a key binding JWT follows the disclosures: key binding is not supported'
        : 'does not end with "~"',
    );
  const disclosures = parts.slice(1);
  const empty = disclosures.indexOf('');
  if (empty >= 0) throw new SdJwtError(`disclosure ${empty + 1} is empty ("~~")`);
  return { jwt, disclosures };
}

interface Disclosure {
  salt: string;
  name: string;
  value: unknown;
}

/** True when `value` holds an `_sd` or `...` member anywhere: the nested disclosures this profile refuses. */
function hasNestedDisclosures(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNestedDisclosures);
  if (!isObject(value)) return false;
  return Object.entries(value).some(([k, v]) => RESERVED_NAMES.has(k) || hasNestedDisclosures(v));
}

function decodeJson(text: string): unknown {
  const bytes = decodeBase64UrlStrict(text);
  if (!bytes) throw new SdJwtError('not base64url');
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SdJwtError('not UTF-8');
  }
  try {
    // Duplicate member names: the lexically last wins, which RFC 7515 §5.2 allows.
    return JSON.parse(json);
  } catch {
    throw new SdJwtError('not JSON');
  }
}

/** Decodes one disclosure and checks it against the profile (not yet against `_sd`). */
export function parseDisclosure(text: string): Disclosure {
  const array = decodeJson(text);
  if (Array.isArray(array) && array.length === 2)
    throw new SdJwtError('an array-element disclosure, which this profile does not use');
  if (!Array.isArray(array) || array.length !== 3)
    throw new SdJwtError('not a [salt, claim name, value] array');
  const [salt, name, value] = array as unknown[];
  if (typeof salt !== 'string') throw new SdJwtError('the salt is not a string');
  if (typeof name !== 'string') throw new SdJwtError('the claim name is not a string');
  if (RESERVED_NAMES.has(name)) throw new SdJwtError(`claim name "${name}" is reserved`);
  if (hasNestedDisclosures(value))
    throw new SdJwtError(`claim "${name}" holds nested disclosures, which this profile does not use`);
  return { salt, name, value };
}

/** Holder side: the SD-JWT with only the disclosures whose claim names `keep` accepts. */
export function presentSdJwt(sdJwt: string, keep: (name: string) => boolean): string {
  const { jwt, disclosures } = splitSdJwt(sdJwt);
  return [jwt, ...disclosures.filter((d) => keep(parseDisclosure(d).name)), ''].join('~');
}

/** The claim names an SD-JWT's disclosures disclose, in order (holder side: what could be presented). */
export const disclosedNames = (sdJwt: string) =>
  splitSdJwt(sdJwt).disclosures.map((d) => parseDisclosure(d).name);

/** A `typ` the verifier accepts and the one JWS `alg` it must be signed with. */
export interface SdJwtProfile {
  typ: string;
  alg: string;
}

export interface VerifyOptions {
  /** The accepted header `typ`s, each with its `alg`: anything else is refused. */
  profiles: readonly SdJwtProfile[];
  /** The issuer's public key. */
  key: KeyObject | CryptoKey;
}

export interface SdJwtResult {
  ok: boolean;
  /** Every failure found, each a sentence; empty when ok. */
  problems: string[];
  header: Json | null;
  /** The signed payload's claims in the clear (`_sd` and `_sd_alg` left out). */
  clear: Json | null;
  /** Claims whose disclosures checked out. */
  disclosed: Json;
  /** `_sd` digests no presented disclosure opened: withheld claims and decoys, which look alike. */
  hiddenDigests: number;
}

const failure = (problem: string): SdJwtResult => ({
  ok: false,
  problems: [problem],
  header: null,
  clear: null,
  disclosed: {},
  hiddenDigests: 0,
});

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

const quoted = (values: string[]) => values.map((v) => `"${v}"`).join(' or ');

/** The profile the header's `typ` names, and its `alg`; jose checks `crit` with the signature. */
function checkHeader(header: Json, profiles: readonly SdJwtProfile[], problems: string[]) {
  const profile = profiles.find((p) => p.typ === header.typ);
  if (!profile)
    problems.push(
      `JWT header: typ must be ${quoted(profiles.map((p) => p.typ))}, got ${JSON.stringify(header.typ)}`,
    );
  else if (header.alg !== profile.alg)
    problems.push(
      `JWT header: alg must be "${profile.alg}" with typ "${profile.typ}", got ${JSON.stringify(header.alg)}`,
    );
  return profile;
}

/** jose verifies the JWS: the signature, and only the `alg` the profile allows. */
async function checkSignature(jwt: string, algorithms: string[], options: VerifyOptions, problems: string[]) {
  try {
    await compactVerify(jwt, options.key, { algorithms });
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed)
      problems.push('signature: does not verify with the key');
    else if (!(error instanceof errors.JOSEAlgNotAllowed)) problems.push(`JWS: ${reason(error)}`);
  }
}

/** The JWT's header and payload as jose decodes them; a failure says which part. */
function decodeJwtParts(jwt: string): { header: Json; payload: Json } | string {
  let header: Json;
  try {
    header = decodeProtectedHeader(jwt) as Json;
  } catch (error) {
    return `JWT header: ${reason(error)}`;
  }
  try {
    return { header, payload: decodeJwt(jwt) };
  } catch (error) {
    return `JWT payload: ${reason(error)}`;
  }
}

/** The `_sd` list, checked: SHA-256 digests, each once. */
function checkDigests(payload: Json, problems: string[]): string[] {
  if (payload._sd_alg !== SD_ALG)
    problems.push(`_sd_alg must be "${SD_ALG}", got ${JSON.stringify(payload._sd_alg)}`);
  const list = payload._sd;
  if (!Array.isArray(list) || !list.every((d) => typeof d === 'string' && SHA256_DIGEST.test(d))) {
    problems.push('_sd: not a list of base64url SHA-256 digests');
    return [];
  }
  const digests = list as string[];
  const twice = digests.filter((d, i) => digests.indexOf(d) !== i);
  for (const d of new Set(twice)) problems.push(`_sd: digest ${d} appears more than once`);
  return digests;
}

function clearClaims(payload: Json, problems: string[]): Json {
  const { _sd: _digests, _sd_alg: _alg, ...clear } = payload;
  for (const [name, value] of Object.entries(clear))
    if (hasNestedDisclosures(value))
      problems.push(`claim "${name}" holds nested disclosures, which this profile does not use`);
  return clear;
}

/** Opens each disclosure against the signed digests; a failing one is reported and its claim left out. */
function openDisclosures(texts: string[], digests: string[], clear: Json, problems: string[]) {
  const signed = new Set(digests);
  const used = new Set<string>();
  const disclosed: Json = {};
  texts.forEach((text, i) => {
    const where = `disclosure ${i + 1}`;
    let d: Disclosure;
    try {
      d = parseDisclosure(text);
    } catch (error) {
      return problems.push(`${where}: ${reason(error)}`);
    }
    const digest = disclosureDigest(text);
    if (!signed.has(digest))
      return problems.push(`${where} ("${d.name}"): its digest ${digest} is not in the signed _sd list`);
    if (used.has(digest)) return problems.push(`${where} ("${d.name}"): repeats an earlier disclosure`);
    used.add(digest);
    if (Object.hasOwn(clear, d.name))
      return problems.push(`${where}: claim "${d.name}" is also in the clear`);
    if (Object.hasOwn(disclosed, d.name))
      return problems.push(`${where}: claim "${d.name}" is disclosed twice`);
    // Defined, not assigned: a claim named "__proto__" stays a claim instead of replacing the prototype.
    Object.defineProperty(disclosed, d.name, {
      value: d.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return { disclosed, hiddenDigests: signed.size - used.size };
}

/**
 * Verifies a presentation (or the issuer's SD-JWT): the JWS header and signature, the `_sd` list, and every
 * disclosure (RFC 9901 §7.1 and §7.3, for the flat profile). Reports every failure it finds, not just the first.
 */
export async function verifySdJwt(text: string, options: VerifyOptions): Promise<SdJwtResult> {
  let parts: { jwt: string; disclosures: string[] };
  try {
    parts = splitSdJwt(text);
  } catch (error) {
    return failure(reason(error));
  }
  const decoded = decodeJwtParts(parts.jwt);
  if (typeof decoded === 'string') return failure(decoded);
  const { header, payload } = decoded;
  const problems: string[] = [];
  const profile = checkHeader(header, options.profiles, problems);
  const algorithms = profile ? [profile.alg] : options.profiles.map((p) => p.alg);
  await checkSignature(parts.jwt, algorithms, options, problems);
  const digests = checkDigests(payload, problems);
  const clear = clearClaims(payload, problems);
  const { disclosed, hiddenDigests } = openDisclosures(parts.disclosures, digests, clear, problems);
  return { ok: problems.length === 0, problems, header, clear, disclosed, hiddenDigests };
}
