/**
 * The robot passport (docs/passport.md): an SD-JWT the registry signs with its log key, stating a robot's public
 * facts as of a signed checkpoint. Who holds it discloses claim by claim; anyone with the registry's published key
 * verifies it offline. Pure: the use case (src/app/passport.ts) gathers the facts, the CLI verifies.
 */
import { parseCheckpoint } from '../log/checkpoint.js';
import { openNote, type Signer, type Verifier } from '../log/note.js';
import { issueSdJwt, verifySdJwt } from './sd-jwt.js';

/**
 * Explicit typing (RFC 9901 §9.11): a JWS meant as something else is never accepted as a passport. A vendor-tree
 * name (RFC 6838 §3.2), as the media type `application/vnd.robotid.passport+sd-jwt` is not registered with IANA.
 */
export const PASSPORT_TYP = 'vnd.robotid.passport+sd-jwt';
/** Decoy digests: with them, the `_sd` list does not tell how many claims a passport holds. */
const DECOYS = 2;

/** The claims the holder may disclose one by one, in the order they are listed and issued. */
export const PASSPORT_CLAIMS = [
  'manufacturer',
  'model',
  'productionMonth',
  'state',
  'certification',
  'stopUse',
  'recalls',
] as const;
export type PassportClaimName = (typeof PASSPORT_CLAIMS)[number];

export interface PassportClaims {
  manufacturer: { name: string; enterpriseCode: string; country: string };
  model: { code: string; name: string };
  /** YYYY-MM; null before the robot is manufactured. */
  productionMonth: string | null;
  state: string;
  certification: { status: string; standard: string | null; validUntil: string | null };
  /** An open stop-use order. */
  stopUse: { orderNumber: string; since: string } | null;
  /** Recall campaigns: always empty until the registry records them (issue 7). */
  recalls: unknown[];
}

/** Always in the clear: who says it, when, about which robot, as of which log state, under which jurisdiction. */
export interface PassportStatement {
  /** The registry's public base URL. */
  iss: string;
  /** Seconds since the epoch. */
  iat: number;
  /** The robot's canonical ID. */
  sub: string;
  /** The signed checkpoint note the statement is as of. */
  checkpoint: string;
  /** ISO country of the registry. */
  jurisdiction: string;
}

/** `kid`: the note key's name and key ID, the first two fields of the verifier key string that checks it. */
export const passportKeyId = (key: { name: string; keyId: Buffer }) =>
  `${key.name}+${key.keyId.toString('hex')}`;

/**
 * Signs with the log key. Domain separation: a JWS signing input is base64url "." base64url, with no newline,
 * while every C2SP note text ends in "\n"; so no passport signature is ever a valid checkpoint signature.
 */
export function issuePassport(statement: PassportStatement, claims: PassportClaims, signer: Signer): string {
  return issueSdJwt({
    header: { typ: PASSPORT_TYP, kid: passportKeyId(signer) },
    clear: { ...statement },
    disclosable: { ...claims },
    decoys: DECOYS,
    sign: (input) => signer.sign(input),
  });
}

export interface PassportReport {
  ok: boolean;
  problems: string[];
  robotId: string | null;
  issuer: string | null;
  /** ISO time from `iat`. */
  issuedAt: string | null;
  jurisdiction: string | null;
  checkpoint: { origin: string; size: number; rootHash: string } | null;
  disclosed: Record<string, unknown>;
  /** Passport claims this presentation does not disclose. */
  withheld: PassportClaimName[];
}

const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

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
function readStatement(clear: Record<string, unknown>, report: PassportReport) {
  report.robotId = text(clear.sub);
  report.issuer = text(clear.iss);
  report.jurisdiction = text(clear.jurisdiction);
  for (const name of ['sub', 'iss', 'jurisdiction'] as const)
    if (text(clear[name]) === null) report.problems.push(`claim "${name}": missing or not a string`);
  const iat = clear.iat;
  if (typeof iat === 'number' && Number.isSafeInteger(iat) && iat >= 0 && iat * 1000 <= 8.64e15)
    report.issuedAt = new Date(iat * 1000).toISOString();
  else report.problems.push('claim "iat": missing or not a time in seconds');
}

/** Checks a passport or a presentation of one offline, against the registry's published log key. */
export function verifyPassport(sdJwt: string, key: Verifier): PassportReport {
  const result = verifySdJwt(sdJwt, {
    typ: PASSPORT_TYP,
    verifySignature: (input, signature) => key.verify(input, signature),
  });
  const report: PassportReport = {
    ok: false,
    problems: result.problems,
    robotId: null,
    issuer: null,
    issuedAt: null,
    jurisdiction: null,
    checkpoint: null,
    disclosed: result.disclosed,
    withheld: PASSPORT_CLAIMS.filter((name) => !Object.hasOwn(result.disclosed, name)),
  };
  if (result.header && result.header.kid !== passportKeyId(key))
    report.problems.push(
      `JWT header: kid ${JSON.stringify(result.header.kid)} is not the given key ${passportKeyId(key)} (signed by another key?)`,
    );
  if (result.clear) {
    readStatement(result.clear, report);
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
