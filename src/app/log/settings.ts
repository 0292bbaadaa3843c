/** The transparency log's keys: the registry's signing key, and the witnesses whose cosignatures it collects. */
import { parseWitnessVerifierKey } from '../../log/cosignature.js';
import { parseSignerKey, type KeySigner, type KeyVerifier } from '../../log/note.js';

export interface LogSettings {
  /** Signs checkpoints; its name is the log's origin. */
  signer: KeySigner;
  /** The published key anyone checks checkpoints and bundles with. */
  verifierKey: string;
  /** The log's origin: the first line of every checkpoint. */
  origin: string;
  /** Witnesses the registry accepts cosignatures from. */
  witnesses: KeyVerifier[];
}

export function logSettings(signerKey: string, witnessKeys: readonly string[]): LogSettings {
  const signer = parseSignerKey(signerKey);
  return {
    signer,
    verifierKey: signer.verifierKey,
    origin: signer.name,
    witnesses: witnessKeys.map(parseWitnessVerifierKey),
  };
}
