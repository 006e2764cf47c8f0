import { createEngine, resolveThreadCount, type ThreadedEngine } from './engine.js';
import { sharedMemorySupported } from './memory.js';
import type { Engine } from './types.js';
import { compileEngineModule, engineModule } from './variant.js';

// The one engine of the process, which every tfjs kernel of @inv/kernels runs on: created on first use with
// the thread count set by `setEngineThreads` (else INV_THREADS, else the machine's parallelism).

let current: ThreadedEngine | undefined;
/** The count in force: resolved by `setEngineThreads`, else once on first use (not on every kernel call). */
let threads: number | undefined;

/** `requested` (undefined: INV_THREADS, else the machine), validated; 1 where memory cannot be shared. */
function resolve(requested?: number): number {
  const count = resolveThreadCount(requested);
  return sharedMemorySupported() ? count : 1;
}

/**
 * Compiles the engine's module asynchronously, so that the first kernel need not compile it synchronously:
 * required in a browser's main thread (modules over 4 kB compile only asynchronously there). `initBackend`
 * does it for cpu and wasm; call it yourself after `registerKernels` in a page that picks backends by hand.
 */
export async function prepareEngine(): Promise<void> {
  // The shared variant for the threaded engine, the private one for the engine in place on the wasm heap.
  await compileEngineModule({ shared: sharedMemorySupported() });
  await compileEngineModule({ shared: false });
}

/** The process's engine, created on first use. */
export function processEngine(): Engine {
  if (current === undefined) {
    threads ??= resolve();
    current = createEngine({ module: engineModule({ shared: sharedMemorySupported() }).module, threads });
  }
  return current;
}

/**
 * Sets the engine's thread count (undefined: INV_THREADS, else the machine's available parallelism); an
 * engine already running on another count is ended and the next kernel starts a new one. Results are
 * bit-identical for any count. Returns the count now in force.
 */
export function setEngineThreads(requested?: number): number {
  const count = resolve(requested);
  if (current !== undefined && current.runner.threads !== count) {
    current.dispose();
    current = undefined;
  }
  threads = count;
  return count;
}

/** The thread count the engine runs (or will run) on. */
export function engineThreads(): number {
  threads ??= resolve();
  return current?.runner.threads ?? threads;
}

/** Waits until the engine's workers have started (up to `timeoutMs`): for benchmarks that time from the start. */
export function awaitEngineWorkers(timeoutMs?: number): boolean {
  processEngine();
  return current!.waitForWorkers(timeoutMs);
}
