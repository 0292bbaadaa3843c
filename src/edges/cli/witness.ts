/**
 * A witness: an independent party that follows the registry's checkpoints, checks that each new one extends the
 * last it cosigned (consistency proof), cosigns it (C2SP tlog-cosignature) and hands the cosignature back. If the
 * log ever shrinks, forks or rewrites history, it raises the alarm instead: it keeps both checkpoints (and the proof
 * that failed) as evidence and never cosigns again until a person looks.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCheckpoint, type Checkpoint } from '../../log/checkpoint.js';
import { cosign, type WitnessSigner } from '../../log/cosignature.js';
import { openNote, type Verifier } from '../../log/note.js';
import { verifyConsistency } from '../../log/verify.js';

/** How the witness talks to the registry (HTTP in production; anything in tests). */
export interface RegistryApi {
  latestCheckpoint(): Promise<string>;
  consistencyProof(from: number, to: number): Promise<Buffer[]>;
  submitCosignature(note: string): Promise<void>;
}

interface WitnessState {
  size: number;
  rootHash: string;
  /** The note last cosigned, as received: evidence if a later one conflicts. */
  note: string;
}

export class WitnessAlarm extends Error {
  constructor(
    message: string,
    /** Where the conflicting checkpoints and the failed proof were saved. */
    readonly evidenceDir: string,
  ) {
    super(message);
    this.name = 'WitnessAlarm';
  }
}

export type StepResult =
  { outcome: 'cosigned'; size: number; previousSize: number | null } | { outcome: 'unchanged'; size: number };

const STATE_FILE = 'state.json';

export class Witness {
  constructor(
    private readonly registry: RegistryApi,
    private readonly logKey: Verifier,
    private readonly witnessKey: WitnessSigner,
    private readonly stateDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(stateDir, { recursive: true });
  }

  /** One round: fetch, check, cosign, remember. Throws WitnessAlarm on a fork or rollback. */
  async step(): Promise<StepResult> {
    const note = await this.registry.latestCheckpoint();
    const { checkpoint, text } = this.open(note);
    const trusted = this.loadState();
    if (trusted) {
      const trustedRoot = Buffer.from(trusted.rootHash, 'base64');
      if (checkpoint.size < trusted.size)
        this.alarm(
          `the log shrank: size ${checkpoint.size} after ${trusted.size} was cosigned`,
          trusted,
          note,
        );
      if (checkpoint.size === trusted.size) {
        if (!checkpoint.rootHash.equals(trustedRoot))
          this.alarm(`the log forked: two roots for size ${checkpoint.size}`, trusted, note);
        return { outcome: 'unchanged', size: checkpoint.size };
      }
      if (trusted.size > 0) await this.checkExtends(trusted, trustedRoot, checkpoint, note);
    }
    const line = cosign(text, this.witnessKey, Math.floor(this.now().getTime() / 1000));
    await this.registry.submitCosignature(note + line);
    this.saveState({ size: checkpoint.size, rootHash: checkpoint.rootHash.toString('base64'), note });
    return { outcome: 'cosigned', size: checkpoint.size, previousSize: trusted?.size ?? null };
  }

  /** The checkpoint, once its signature by the registry's key is checked. */
  private open(note: string): { checkpoint: Checkpoint; text: string } {
    const { text } = openNote(note, [this.logKey]);
    const checkpoint = parseCheckpoint(text);
    if (checkpoint.origin !== this.logKey.name)
      throw new Error(`the checkpoint is for log "${checkpoint.origin}", not "${this.logKey.name}"`);
    return { checkpoint, text };
  }

  private async checkExtends(trusted: WitnessState, trustedRoot: Buffer, next: Checkpoint, note: string) {
    const proof = await this.registry.consistencyProof(trusted.size, next.size);
    try {
      verifyConsistency(trusted.size, next.size, proof, trustedRoot, next.rootHash);
    } catch (error) {
      this.alarm(
        `the log rewrote history: size ${next.size} does not extend the cosigned size ${trusted.size} (${(error as Error).message})`,
        trusted,
        note,
        proof,
      );
    }
  }

  private alarm(message: string, trusted: WitnessState, conflicting: string, proof?: Buffer[]): never {
    const dir = join(this.stateDir, `alarm-${this.now().toISOString().replace(/[:.]/g, '-')}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'cosigned.checkpoint'), trusted.note);
    writeFileSync(join(dir, 'conflicting.checkpoint'), conflicting);
    if (proof)
      writeFileSync(
        join(dir, 'consistency-proof.json'),
        JSON.stringify(proof.map((h) => h.toString('base64'))),
      );
    writeFileSync(join(dir, 'ALARM.txt'), `${message}\n`);
    throw new WitnessAlarm(message, dir);
  }

  private loadState(): WitnessState | null {
    const file = join(this.stateDir, STATE_FILE);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as WitnessState) : null;
  }

  /** Written whole or not at all: a crash mid-write must not leave the witness trusting half a checkpoint. */
  private saveState(state: WitnessState) {
    const file = join(this.stateDir, STATE_FILE);
    writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${file}.tmp`, file);
  }
}
