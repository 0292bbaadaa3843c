/**
 * Runs `round` every `intervalMs`, one round at a time: a round still running when the next tick comes makes that
 * tick skip (rounds never overlap); a failed round goes to `failed` and the next tick tries again. The timer does
 * not keep the process alive. Returns the function that stops it.
 */
export function repeatEvery(
  intervalMs: number,
  round: () => Promise<unknown>,
  failed: (error: unknown) => void,
): () => void {
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    round()
      .catch(failed)
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
