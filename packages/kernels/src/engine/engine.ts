import type * as Os from 'node:os';
import { createEngineMemory, sharedMemorySupported, type EngineMemoryOptions } from './memory.js';
import { createPool, type Pool } from './pool.js';
import type { Engine, EngineMemory } from './types.js';

/** The most threads an engine takes (`INV_THREADS` or `threads`). */
export const MAX_THREADS = 256;

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** The engine module: imports `env.memory` (shared, maximum 65536 pages, to run on more than one thread). */
  module: WebAssembly.Module;
  /** Threads including the calling one; default {@link resolveThreadCount}'s. */
  threads?: number;
  /** Sizes of the engine's memory. */
  memory?: Omit<EngineMemoryOptions, 'shared'>;
}

/** An engine from {@link createEngine}. */
export interface ThreadedEngine extends Engine {
  /**
   * Resolves once every worker thread has started; rejects if one could not (the engine still works, on the
   * threads that did). Runs before then are correct: the calling thread does the tasks workers do not take.
   */
  readonly ready: Promise<void>;
  /**
   * Blocks until every worker thread has started (or failed to), at most `timeoutMs` (default 30 s); returns
   * whether all did. For callers that want every thread from the first job on and cannot await (Node, or a
   * browser worker: a browser's main thread cannot block, there it only tells whether they have).
   */
  waitForWorkers(timeoutMs?: number): boolean;
  /** The pool behind `runner`: its workers' state. */
  readonly pool: Pool;
}

function checkThreads(name: string, value: string | number, expected: string): number {
  const count = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_THREADS) {
    throw new Error(
      `${name} must be ${expected}: a positive integer up to ${MAX_THREADS}, got ${typeof value === 'string' ? `'${value}'` : value}`,
    );
  }
  return count;
}

/**
 * The thread count an engine uses: `requested` if given, else the `INV_THREADS` environment variable (Node)
 * if set, else the hardware's parallelism (`os.availableParallelism()` in Node, `navigator.hardwareConcurrency`
 * in browsers), at most {@link MAX_THREADS}.
 */
export function resolveThreadCount(requested?: number): number {
  if (requested !== undefined) {
    return checkThreads('engine option threads', requested, 'the engine thread count');
  }
  const process = (globalThis as { process?: NodeJS.Process }).process;
  const variable = process?.env?.['INV_THREADS'];
  if (variable !== undefined && variable !== '') {
    return checkThreads('INV_THREADS', variable, 'the number of engine threads');
  }
  const hardware =
    process?.versions?.node !== undefined
      ? (process.getBuiltinModule('node:os') as typeof Os).availableParallelism()
      : (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.min(Math.max(hardware ?? 1, 1), MAX_THREADS);
}

/** Instantiates the module on a memory of the kind it imports: shared where possible, else not. */
function instantiate(
  module: WebAssembly.Module,
  options: EngineOptions['memory'],
): { memory: EngineMemory; instance: WebAssembly.Instance } {
  const attempt = (shared: boolean) => {
    const memory = createEngineMemory({ ...options, shared });
    return { memory, instance: new WebAssembly.Instance(module, { env: { memory: memory.memory } }) };
  };
  if (!sharedMemorySupported()) {
    try {
      return attempt(false);
    } catch (error) {
      if (!(error instanceof WebAssembly.LinkError)) throw error;
      throw new Error(
        `engine: cannot instantiate the module with a non-shared memory (${String(error)}), and this page ` +
          'cannot make a shared one (no SharedArrayBuffer: not cross-origin isolated): pass the module variant ' +
          'that imports a non-shared memory',
        { cause: error },
      );
    }
  }
  try {
    return attempt(true);
  } catch (sharedError) {
    if (!(sharedError instanceof WebAssembly.LinkError)) throw sharedError;
    try {
      return attempt(false);
    } catch (error) {
      throw new Error(
        `engine: cannot instantiate the module with a shared memory (${String(sharedError)}) ` +
          `nor with a non-shared one (${String(error)})`,
        { cause: error },
      );
    }
  }
}

/**
 * An engine on `threads` threads: the calling thread and `threads - 1` workers sharing the module's memory.
 * One thread, or a module whose memory cannot be shared, gives a one-thread engine (the same allocator, no
 * workers). Synchronous: workers start in the background and join jobs once they are ready.
 */
export function createEngine(options: EngineOptions): ThreadedEngine {
  const requested = resolveThreadCount(options.threads);
  const { memory, instance } = instantiate(options.module, options.memory);
  const exports = instance.exports as Engine['exports'];
  const threads = memory.shared ? requested : 1;
  const pool = createPool({ modules: [{ module: options.module, exports }], memory, threads });
  return {
    memory,
    exports,
    runner: pool.runner(0),
    pool,
    ready: pool.ready,
    waitForWorkers: (timeoutMs) => pool.waitForWorkers(timeoutMs),
    dispose: () => pool.dispose(),
  };
}
