import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts a worker thread on a module beside the caller (`name` without extension). Under tsx (tests, bench) the
 * caller is TypeScript and so is the module; Node 20 does not run `--import` preloads in workers, so such a
 * worker registers tsx itself before loading its module.
 */
export function startThread(
  callerUrl: string,
  name: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const typescript = callerUrl.endsWith('.ts');
  const url = new URL(`./${name}${typescript ? '.ts' : '.js'}`, callerUrl);
  if (!typescript) return new Worker(url, { workerData, resourceLimits });
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData, resourceLimits });
}

/**
 * Asks a thread started here to finish (it closes what it holds on the message 'close', then exits) and waits for
 * it, keeping the process alive until then even if the thread was unref'd.
 */
export async function stopThread(worker: Worker): Promise<void> {
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.ref();
  worker.postMessage('close');
  await exited;
}
