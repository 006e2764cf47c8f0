import type * as WorkerThreads from 'node:worker_threads';
import type { EngineMemory, TaskRunner } from './types.js';
import {
  CONTROL,
  GENERATION_MASK,
  blockCounter,
  blockStart,
  STATE_CLOSED,
  STATE_COUNT,
  STATE_GENERATION_SHIFT,
  SPIN_CHECKS,
  spinToken,
  controlWords,
  workerSource,
  type WorkerData,
  type WorkerMessage,
} from './worker_source.js';

/** Scratch areas are spaced by whole cache lines, so that threads never share one. */
const SCRATCH_STRIDE = 64;

/** Task indices stay far from Int32 overflow (threads overshoot the counter by one claim each). */
const MAX_TASKS = 2 ** 30;

/** The last pool id given (ids start at 1: 0 in the spin token is no pool). */
let lastPoolId = 0;

type Kernel = (task: number, args: number, scratch: number) => void;

/** A module whose task exports a pool runs. */
export interface PoolModule {
  module: WebAssembly.Module;
  /** The exports of its instance on the calling thread. */
  exports: Record<string, unknown>;
}

/** Options of {@link createPool}. */
export interface PoolOptions {
  /** The modules; every thread instantiates each with `env.memory`. */
  modules: readonly PoolModule[];
  /** The memory the modules were instantiated with on the calling thread; shared when `threads` > 1. */
  memory: EngineMemory;
  /** Threads including the calling one; `threads - 1` workers are started. */
  threads: number;
}

/**
 * Worker threads that run the tasks of one or more modules on one memory; with `threads` 1, the calling
 * thread.
 */
export interface Pool {
  /** Threads including the calling one. */
  readonly threads: number;
  /** The task runner of `modules[index]`'s exports. */
  runner(index: number): TaskRunner;
  /** Resolves once every worker has started (runs before then are correct, on the threads already there). */
  readonly ready: Promise<void>;
  /** Resolves once every worker has exited (after `dispose`). */
  readonly exited: Promise<void>;
  /** Workers started and waiting for jobs now. */
  readyWorkers(): number;
  /**
   * Blocks until every worker has started or failed to, or `timeoutMs` passed; returns whether all started.
   * Not on a browser's main thread (it cannot block): there it returns whether they have, at once.
   */
  waitForWorkers(timeoutMs?: number): boolean;
  /** Ends the workers and frees the scratch; the pool must not be used afterwards. */
  dispose(): void;
}

/** A started worker, Node's or a browser's. */
interface WorkerHandle {
  terminate(): void;
}

interface WorkerEvents {
  message(message: WorkerMessage): void;
  exit(): void;
}

function nodeWorkerThreads(): typeof WorkerThreads | undefined {
  const process = (globalThis as { process?: NodeJS.Process }).process;
  if (process?.versions?.node === undefined) return undefined;
  return process.getBuiltinModule('node:worker_threads') as typeof WorkerThreads;
}

function startWorker(data: WorkerData, events: WorkerEvents): WorkerHandle {
  const threads = nodeWorkerThreads();
  if (threads !== undefined) {
    const worker = new threads.Worker(workerSource, {
      eval: true,
      workerData: data,
      name: `inv-engine-${data.thread}`,
      // The worker needs none of the parent's loaders or flags (V8 flags are process-wide anyway).
      execArgv: [],
    });
    // Never keep the process alive once started: a CLI ends when its main code does. Until then the worker
    // keeps it alive, so that `ready` settles. (Adding a 'message' listener refs the worker again: the
    // listeners come first.)
    const message = (reply: WorkerMessage): void => {
      worker.unref();
      events.message(reply);
    };
    worker.on('message', message);
    worker.on('error', (error) => message({ type: 'failed', message: String(error) }));
    worker.on('exit', events.exit);
    return { terminate: () => void worker.terminate() };
  }
  const url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
  const worker = new Worker(url, { name: `inv-engine-${data.thread}` });
  const message = (reply: WorkerMessage): void => {
    // The script has surely been fetched once the worker speaks.
    URL.revokeObjectURL(url);
    events.message(reply);
  };
  worker.onmessage = (event: MessageEvent<WorkerMessage>) => message(event.data);
  worker.onerror = (event) => message({ type: 'failed', message: event.message });
  worker.postMessage(data);
  return {
    terminate() {
      worker.terminate();
      events.exit();
    },
  };
}

/** Whether this thread may block in `Atomics.wait` (not a browser's main thread). */
function canBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

function invalid(what: string, value: number): Error {
  return new Error(`engine: run expects ${what}, got ${value}`);
}

/**
 * Runs jobs on the calling thread and `threads - 1` worker threads that share the engine's memory. Work is
 * handed out through a control block in shared memory (see `worker_source.ts`), not messages: a job costs an
 * `Atomics.notify` and, at its end, a wait for the workers still finishing their last task. Until workers
 * have started, the calling thread runs the tasks itself, so the pool is usable as soon as it is created.
 */
export function createPool(options: PoolOptions): Pool {
  const { modules, memory, threads } = options;
  if (!Number.isInteger(threads) || threads < 1 || threads > STATE_COUNT) {
    throw new Error(`engine pool: threads must be an integer in [1, ${STATE_COUNT}], got ${threads}`);
  }
  if (threads > 1 && !memory.shared) {
    throw new Error('engine pool: more than one thread needs a shared memory');
  }
  // One table of every module's function exports, in module order: a job names its kernel by its index.
  const names = modules.map(({ module }) =>
    WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name),
  );
  const offsets = names.map((_, m) => names.slice(0, m).reduce((sum, n) => sum + n.length, 0));
  const indices = names.map((list, m) => new Map(list.map((name, i) => [name, offsets[m]! + i])));
  const kernels = modules.flatMap(({ exports }, m) => names[m]!.map((name) => exports[name] as Kernel));
  const words = controlWords(threads);
  const control = threads > 1 ? new SharedArrayBuffer(words * 4) : new ArrayBuffer(words * 4);
  const ctl = new Int32Array(control);
  ctl[CONTROL.STATE] = STATE_CLOSED;
  const block = threads > 1 && canBlock();
  const poolId = ++lastPoolId;

  let disposed = false;
  let generation = 0;
  let scratchBlock = 0;
  let scratchStride = 0;

  let started = 0;
  let ended = 0;
  let resolveReady = (): void => undefined;
  let rejectReady = (_error: Error): void => undefined;
  let resolveExited = (): void => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // A worker that fails to start only costs parallelism: nobody has to await `ready`.
  ready.catch(() => undefined);
  const exited = new Promise<void>((resolve) => (resolveExited = resolve));
  const workers: WorkerHandle[] = [];
  for (let thread = 1; thread < threads; thread++) {
    const data: WorkerData = {
      modules: modules.map(({ module }, m) => ({ module, names: names[m]! })),
      memory: memory.memory,
      control: control as SharedArrayBuffer,
      thread,
      threads,
      spinToken: spinToken.buffer as SharedArrayBuffer,
      pool: poolId,
    };
    workers.push(
      startWorker(data, {
        message(message) {
          if (message.type === 'failed') {
            rejectReady(
              new Error(`engine pool: worker thread ${thread} failed to start: ${message.message}`),
            );
          } else if (++started === threads - 1) resolveReady();
        },
        exit() {
          if (++ended === threads - 1) resolveExited();
        },
      }),
    );
  }
  if (threads === 1) {
    resolveReady();
    resolveExited();
  }

  /** Gives every thread a scratch area of at least `bytes`, between jobs. */
  const ensureScratch = (bytes: number): void => {
    if (bytes <= scratchStride) return;
    if (scratchBlock !== 0) memory.free(scratchBlock);
    scratchStride = Math.ceil(bytes / SCRATCH_STRIDE) * SCRATCH_STRIDE;
    scratchBlock = memory.alloc(scratchStride * threads);
    for (let thread = 0; thread < threads; thread++) {
      ctl[CONTROL.SCRATCH + thread] = scratchBlock + thread * scratchStride;
    }
  };

  const taskError = (name: string, task: number, thread: number, detail: string, cause?: unknown): Error =>
    new Error(
      `engine: task ${task} of '${name}' failed on ${thread === 0 ? 'the calling thread' : `worker thread ${thread}`}: ${detail}`,
      cause === undefined ? undefined : { cause },
    );

  /** All tasks on the calling thread. */
  const runHere = (name: string, kernel: Kernel, tasks: number, args: number): void => {
    const scratch = ctl[CONTROL.SCRATCH]!;
    for (let task = 0; task < tasks; task++) {
      try {
        kernel(task, args, scratch);
      } catch (error) {
        throw taskError(name, task, 0, String(error), error);
      }
    }
  };

  /** One job over the calling thread and whichever workers join it. */
  const runShared = (name: string, index: number, tasks: number, args: number): void => {
    const kernel = kernels[index]!;
    ctl[CONTROL.EXPORT] = index;
    ctl[CONTROL.TASKS] = tasks;
    ctl[CONTROL.ARGS] = args;
    for (let thread = 0; thread < threads; thread++) {
      ctl[blockCounter(threads, thread)] = blockStart(tasks, threads, thread);
    }
    generation = (generation + 1) & GENERATION_MASK;
    // This pool's workers may spin after the job; any other pool's spinning workers go to sleep.
    Atomics.store(spinToken, 0, poolId);
    // Opening the job publishes the words above (a seq-cst store; workers read them after joining).
    Atomics.store(ctl, CONTROL.STATE, generation << STATE_GENERATION_SHIFT);
    Atomics.notify(ctl, CONTROL.STATE, Math.min(tasks - 1, threads - 1));

    const scratch = ctl[CONTROL.SCRATCH]!;
    let failure: { task: number; error: unknown } | undefined;
    // Block 0 first, then the workers' blocks in turn (blockCounter in worker_source.ts).
    for (let owner = 0; owner < threads; owner++) {
      const counter = blockCounter(threads, owner);
      const end = blockStart(tasks, threads, owner + 1);
      for (;;) {
        const task = Atomics.add(ctl, counter, 1);
        if (task >= end) break;
        if (Atomics.load(ctl, CONTROL.ERROR) !== 0) continue;
        try {
          kernel(task, args, scratch);
        } catch (error) {
          if (Atomics.compareExchange(ctl, CONTROL.ERROR, 0, 1) === 0) failure = { task, error };
        }
      }
    }

    // Close the job, then wait for the workers in it to finish their last tasks.
    let state = Atomics.load(ctl, CONTROL.STATE);
    for (;;) {
      const before = Atomics.compareExchange(ctl, CONTROL.STATE, state, state | STATE_CLOSED);
      if (before === state) break;
      state = before;
    }
    state |= STATE_CLOSED;
    let checks = SPIN_CHECKS;
    while ((state & STATE_COUNT) !== 0) {
      if (block && checks-- <= 0) Atomics.wait(ctl, CONTROL.STATE, state);
      state = Atomics.load(ctl, CONTROL.STATE);
    }

    if (Atomics.load(ctl, CONTROL.ERROR) === 0) return;
    ctl[CONTROL.ERROR] = 0;
    if (failure !== undefined) throw taskError(name, failure.task, 0, String(failure.error), failure.error);
    const text = CONTROL.SCRATCH + threads;
    const message = String.fromCharCode(...ctl.subarray(text, text + ctl[CONTROL.ERROR_LENGTH]!));
    throw taskError(name, ctl[CONTROL.ERROR_TASK]!, ctl[CONTROL.ERROR_THREAD]!, message);
  };

  const runner = (module: number): TaskRunner => ({
    threads,
    run(name, tasks, args, scratchBytes) {
      if (disposed) throw new Error(`engine: run('${name}') after dispose`);
      const index = indices[module]!.get(name);
      if (index === undefined) throw new Error(`engine: the module has no export '${name}'`);
      if (!Number.isInteger(tasks) || tasks < 0 || tasks > MAX_TASKS) {
        throw invalid('an integer task count in [0, 2^30]', tasks);
      }
      if (!Number.isInteger(scratchBytes) || scratchBytes < 0) {
        throw invalid('a non-negative integer scratchBytes', scratchBytes);
      }
      ensureScratch(scratchBytes);
      if (tasks === 0) return;
      if (tasks === 1 || Atomics.load(ctl, CONTROL.READY) === 0) runHere(name, kernels[index]!, tasks, args);
      else runShared(name, index, tasks, args);
    },
  });
  const runners = modules.map((_, m) => runner(m));

  return {
    threads,
    runner: (index) => {
      const found = runners[index];
      if (found === undefined) throw new Error(`engine pool: no module ${index} (it has ${modules.length})`);
      return found;
    },
    ready,
    exited,
    readyWorkers: () => Atomics.load(ctl, CONTROL.READY),
    waitForWorkers(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const arrived = Atomics.load(ctl, CONTROL.ARRIVED);
        const left = deadline - Date.now();
        if (arrived === threads - 1 || left <= 0 || !block) break;
        Atomics.wait(ctl, CONTROL.ARRIVED, arrived, left);
      }
      return Atomics.load(ctl, CONTROL.READY) === threads - 1;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      Atomics.store(ctl, CONTROL.STOP, 1);
      const closed = (((generation + 1) & GENERATION_MASK) << STATE_GENERATION_SHIFT) | STATE_CLOSED;
      Atomics.store(ctl, CONTROL.STATE, closed);
      Atomics.notify(ctl, CONTROL.STATE);
      for (const worker of workers) worker.terminate();
      if (scratchBlock !== 0) memory.free(scratchBlock);
      scratchBlock = 0;
    },
  };
}
