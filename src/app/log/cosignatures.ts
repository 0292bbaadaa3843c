/**
 * Witnesses' cosignatures. A witness sends back the registry's checkpoint note with its cosignature line added; the
 * registry keeps the lines of the witnesses it knows whose signatures verify over a checkpoint it signed, and
 * serves them with that checkpoint. Cosignatures prove themselves, so no API key is needed to hand one in.
 */
import { DomainError, invalid } from '../../domain/errors.js';
import { parseCheckpoint } from '../../log/checkpoint.js';
import { cosignatureTimestamp } from '../../log/cosignature.js';
import { formatSignatureLine, NoteError, openNote, parseVerifierKey } from '../../log/note.js';
import { isoNow, type AppContext } from '../context.js';

/** A cosignature dated further ahead than this is refused: the witness's clock is wrong, or it is lying. */
const MAX_CLOCK_SKEW_SECONDS = 600;

function opened(ctx: AppContext, note: string) {
  try {
    const result = openNote(note, [parseVerifierKey(ctx.log.verifierKey), ...ctx.log.witnesses]);
    return { ...result, checkpoint: parseCheckpoint(result.text) };
  } catch (error) {
    if (error instanceof NoteError)
      throw invalid(error.code, error.message, [{ field: 'note', message: error.message }]);
    throw error;
  }
}

export async function addCosignatures(ctx: AppContext, note: string) {
  const { text, verified, checkpoint } = opened(ctx, note);
  if (!verified.some((v) => v.name === ctx.log.origin))
    throw invalid('not-our-checkpoint', 'the note is not signed by this registry', [
      { field: 'note', message: 'no registry signature' },
    ]);
  const witnessed = verified.filter((v) => v.name !== ctx.log.origin);
  if (witnessed.length === 0)
    throw invalid(
      'no-known-cosignature',
      'the note carries no cosignature of a witness this registry knows',
      [{ field: 'note', message: 'no known witness signature' }],
    );
  const now = Math.floor(ctx.now().getTime() / 1000);
  const lines = witnessed.map((w) => {
    const cosignedAt = cosignatureTimestamp(w.signature);
    if (cosignedAt > now + MAX_CLOCK_SKEW_SECONDS)
      throw invalid(
        'cosignature-in-future',
        `${w.name} dated its cosignature ${cosignedAt}, ahead of ${now}`,
      );
    return { witness: w.name, line: formatSignatureLine(w.name, w.keyId, w.signature), cosignedAt };
  });
  return ctx.store.write(async (tx) => {
    const signed = await tx.getCheckpoint(checkpoint.size);
    if (!signed || !signed.note.startsWith(`${text}\n`))
      throw new DomainError(
        'conflict',
        'unknown-checkpoint',
        `this registry signed no such checkpoint of size ${checkpoint.size}`,
      );
    for (const l of lines) await tx.putCosignature({ size: checkpoint.size, ...l, receivedAt: isoNow(ctx) });
    return { size: checkpoint.size, witnesses: lines.map((l) => l.witness) };
  });
}
