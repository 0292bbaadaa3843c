/**
 * The robot passport (docs/passport.md): an SD-JWT VC the registry signs with its log key, stating a robot's public
 * facts as of a signed checkpoint. Who holds it discloses claim by claim; anyone with the registry's published key
 * verifies it offline. Pure: the use case (src/app/passport.ts) gathers the facts, the CLI verifies.
 */
import { parseCheckpoint } from '../log/checkpoint.js';
import { openNote, type KeySigner, type KeyVerifier, type Verifier } from '../log/note.js';
import {
  PASSPORT_CLAIMS,
  type PassportClaimName,
  type PassportClaims,
  type PassportStatement,
} from './claims.js';
import { JWS_ALG, joseKey, passportKeyId } from './jwk.js';
import { issueSdJwt, verifySdJwt, type SdJwtProfile } from './sd-jwt.js';
import { passportTypeMetadataDocument, passportVct } from './vc-metadata.js';

export { PASSPORT_CLAIMS, type PassportClaimName, type PassportClaims, type PassportStatement };

/** Explicit typing (RFC 9901 §9.11) as SD-JWT VC requires: no other JWS signed with the key passes for one. */
export const PASSPORT_TYP = 'dc+sd-jwt';
/**
 * Passports issued before SD-JWT VC: a vendor-tree `typ` and the deprecated `EdDSA`, no `vct`, no `exp`. Still
 * accepted, and reported as such, while they circulate; they are no longer issued.
 */
export const LEGACY_PROFILE: SdJwtProfile = { typ: 'vnd.robotid.passport+sd-jwt', alg: 'EdDSA' };
const CURRENT_PROFILE: SdJwtProfile = { typ: PASSPORT_TYP, alg: JWS_ALG };
/** How long a passport is good for: it states facts as of `iat`, and a stop-use order may follow. */
export const PASSPORT_VALIDITY_SECONDS = 30 * 24 * 3600;
/** Clock difference tolerated between issuer and verifier for `iat`. */
const CLOCK_SKEW_SECONDS = 300;
/** Decoy digests: with them, the `_sd` list does not tell how many claims a passport holds. */
const DECOYS = 2;

/**
 * Signs with the log key. Domain separation: a JWS signing input is base64url "." base64url, with no newline,
 * while every C2SP note text ends in "\n"; so no passport signature is ever a valid checkpoint signature.
 */
export function issuePassport(
  statement: PassportStatement,
  claims: PassportClaims,
  signer: KeySigner,
): Promise<string> {
  const typeMetadata = passportTypeMetadataDocument(statement.iss);
  return issueSdJwt({
    header: { alg: JWS_ALG, typ: PASSPORT_TYP, kid: passportKeyId(signer) },
    clear: {
      ...statement,
      vct: passportVct(statement.iss),
      'vct#integrity': typeMetadata.integrity,
      exp: statement.iat + PASSPORT_VALIDITY_SECONDS,
    },
    disclosable: { ...claims },
    decoys: DECOYS,
    key: signer.privateKey,
  });
}

export interface PassportReport {
  ok: boolean;
  problems: string[];
  /** `sd-jwt-vc`, or `legacy` for a passport issued before SD-JWT VC (no `vct`, no expiry). */
  format: 'sd-jwt-vc' | 'legacy' | null;
  robotId: string | null;
  issuer: string | null;
  /** ISO time from `iat`. */
  issuedAt: string | null;
  /** ISO time from `exp`; null for a legacy passport, which has none. */
  expiresAt: string | null;
  jurisdiction: string | null;
  checkpoint: { origin: string; size: number; rootHash: string } | null;
  disclosed: Record<string, unknown>;
  /** Passport claims this presentation does not disclose. */
  withheld: PassportClaimName[];
}

export interface VerifyPassportOptions {
  /** The time to check `iat` and `exp` against (default: now). */
  now?: Date;
  /** The issuer the key was published for (`issuer` of its JWT VC Issuer Metadata): `iss` must be it. */
  issuer?: string;
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value * 1000 <= 8.64e15;
const isoTime = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The embedded checkpoint: signed by the same key, for the key's own log. */
function checkCheckpoint(note: unknown, key: Verifier): PassportReport['checkpoint'] {
  if (typeof note !== 'string') throw new Error('missing (a signed note, as text)');
  const checkpoint = parseCheckpoint(openNote(note, [key]).text);
  if (checkpoint.origin !== key.name)
    throw new Error(`it is for log "${checkpoint.origin}", but the key is for "${key.name}"`);
  return {
    origin: checkpoint.origin,
    size: checkpoint.size,
    rootHash: checkpoint.rootHash.toString('base64'),
  };
}

/** The clear claims every passport has; a missing or mistyped one is a problem. */
function readStatement(clear: Record<string, unknown>, report: PassportReport, now: number) {
  report.robotId = text(clear.sub);
  report.issuer = text(clear.iss);
  report.jurisdiction = text(clear.jurisdiction);
  for (const name of ['sub', 'iss', 'jurisdiction'] as const)
    if (text(clear[name]) === null) report.problems.push(`claim "${name}": missing or not a string`);
  if (!isTime(clear.iat)) report.problems.push('claim "iat": missing or not a time in seconds');
  else {
    report.issuedAt = isoTime(clear.iat);
    if (clear.iat > now + CLOCK_SKEW_SECONDS)
      report.problems.push(`claim "iat": ${report.issuedAt} is in the future`);
  }
}

/** What SD-JWT VC adds to a current passport: its type and its expiry. */
function readVcClaims(clear: Record<string, unknown>, report: PassportReport, now: number) {
  const vct = report.issuer === null ? null : passportVct(report.issuer);
  if (clear.vct !== vct || vct === null)
    report.problems.push(`claim "vct": must be ${JSON.stringify(vct)}, got ${JSON.stringify(clear.vct)}`);
  if (!isTime(clear.exp)) return report.problems.push('claim "exp": missing or not a time in seconds');
  report.expiresAt = isoTime(clear.exp);
  if (clear.exp <= now) report.problems.push(`claim "exp": the passport expired at ${report.expiresAt}`);
}

/** Checks a passport or a presentation of one offline, against the registry's published log key. */
export async function verifyPassport(
  sdJwt: string,
  key: KeyVerifier,
  options: VerifyPassportOptions = {},
): Promise<PassportReport> {
  const result = await verifySdJwt(sdJwt, {
    profiles: [CURRENT_PROFILE, LEGACY_PROFILE],
    key: await joseKey(key),
  });
  const report: PassportReport = {
    ok: false,
    problems: result.problems,
    format: null,
    robotId: null,
    issuer: null,
    issuedAt: null,
    expiresAt: null,
    jurisdiction: null,
    checkpoint: null,
    disclosed: result.disclosed,
    withheld: PASSPORT_CLAIMS.filter((name) => !Object.hasOwn(result.disclosed, name)),
  };
  if (result.header) {
    if (result.header.typ === PASSPORT_TYP) report.format = 'sd-jwt-vc';
    else if (result.header.typ === LEGACY_PROFILE.typ) report.format = 'legacy';
    if (result.header.kid !== passportKeyId(key))
      report.problems.push(
        `JWT header: kid ${JSON.stringify(result.header.kid)} is not the given key ${passportKeyId(key)} (signed by another key?)`,
      );
  }
  if (result.clear) {
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    readStatement(result.clear, report, now);
    if (report.format === 'sd-jwt-vc') readVcClaims(result.clear, report, now);
    if (options.issuer !== undefined && report.issuer !== options.issuer)
      report.problems.push(
        `claim "iss": ${JSON.stringify(report.issuer)} is not the issuer the key was published for, ${JSON.stringify(options.issuer)}`,
      );
    try {
      report.checkpoint = checkCheckpoint(result.clear.checkpoint, key);
    } catch (error) {
      report.problems.push(`checkpoint: ${message(error)}`);
    }
  }
  report.ok = report.problems.length === 0;
  return report;
}

/** Whether a file's text is a JWT or SD-JWT (compact form) rather than JSON: what `robotid verify` checks. */
export const looksLikeSdJwt = (content: string) =>
  /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(~|$)/.test(content);
