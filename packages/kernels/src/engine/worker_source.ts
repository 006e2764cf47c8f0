/**
 * The engine's worker thread, as source text: Node starts it with `new Worker(source, { eval: true })`, a
 * browser from a Blob URL, so it survives bundling (no file of its own to resolve) and coverage
 * instrumentation (it is never transformed). Plain ES2020, no imports; the control-block layout below is the
 * one definition both sides use.
 *
 * The control block is an Int32Array over a SharedArrayBuffer of its own. `STATE` is
 * `generation << 17 | CLOSED | participants`: a job is open while CLOSED is clear; a worker joins an open job
 * of a generation it has not joined yet by a compare-exchange incrementing the participants, claims task
 * indices with `Atomics.add` until they run out, and leaves by decrementing. The tasks are split into one
 * block per thread (thread t: tasks ⌊t·n/T⌋ … ⌊(t+1)·n/T⌋ − 1, a counter each): a thread claims from its own
 * block first, then from the others' in turn. So consecutive jobs give a thread the same part of their
 * tensors wherever the tasks follow memory order (images, row runs, tiles), and it reads what it wrote
 * itself, from its own cache, not lines another core holds modified; a thread that never joins loses
 * nothing, its block is claimed by the others. The calling thread writes the job (export index, task count,
 * args), sets the blocks' counters, opens the next generation and notifies;
 * after claiming tasks itself it sets CLOSED and waits until the participants are 0: every task claimed by
 * a worker is then done, and no worker reads the job's words again, so the next job may rewrite them.
 */

/** Indices (Int32) in the control block. */
export const CONTROL = {
  STATE: 0,
  /** 1: workers end. */
  STOP: 1,
  /** Workers that have instantiated the module and wait for jobs. */
  READY: 2,
  EXPORT: 3,
  TASKS: 4,
  ARGS: 5,
  /** 1 once a task of the job failed; the first failure's task, thread and message follow. */
  ERROR: 6,
  ERROR_TASK: 7,
  ERROR_THREAD: 8,
  ERROR_LENGTH: 9,
  /** Workers that have started, or failed to (so that a synchronous wait for them ends). */
  ARRIVED: 10,
  /** Per-thread scratch addresses (thread 0: the calling thread), then the error text (UTF-16 units). */
  SCRATCH: 32,
} as const;

export const STATE_CLOSED = 1 << 16;
export const STATE_COUNT = 0xffff;
export const STATE_GENERATION_SHIFT = 17;
/** Generations wrap at 2^15 (a worker can only skip a job by it, never run one wrongly). */
export const GENERATION_MASK = 0x7fff;
/** UTF-16 units of a failure's message kept in the control block. */
export const ERROR_TEXT_LENGTH = 1024;

/**
 * Loads of the state word a thread makes before it sleeps in `Atomics.wait` (a worker between jobs, the
 * calling thread waiting for a job's last tasks): about 60 µs here (6 ns a load). A sleeping worker joins a
 * job ~15 µs late and each sleep and wake-up costs the job about as much again (2-task job on an idle
 * Xeon VM: 15 µs median asleep, 1 µs awake), and a training step's next job often comes within 60 µs.
 * Only the workers of the pool that ran the latest job spin (the spin token, below): the engine's own memory
 * and each backend heap have a pool each, and spinners of several would take the cores from the one that has
 * work.
 * Step medians on 2 threads, 0 → 10,000 checks with the token, runs interleaved: seed-inv 24.2–25.6 →
 * 23.5–24.2 ms, resinv 292–305 → 285–289 ms, rednet-26 398 → 388 ms (without the token); 30,000 gained
 * nothing more, 200,000 was 40% slower (a spinning thread takes the core V8's GC threads need).
 */
export const SPIN_CHECKS = 10_000;

/**
 * The spin token: one Int32 shared by every pool of the process (and their workers), the id of the pool
 * that opened the latest job; a worker spins only while it is its own pool's.
 */
export const spinToken = new Int32Array(
  // A page that is not cross-origin isolated has no SharedArrayBuffer, and no workers either.
  typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : new ArrayBuffer(4),
);

/** Int32 words between claim counters: 64 bytes, so that no two share a cache line. */
const COUNTER_STRIDE = 16;

/** The word of thread `thread`'s claim counter (the next task of its block), after the error text. */
export const blockCounter = (threads: number, thread: number): number =>
  CONTROL.SCRATCH + threads + ERROR_TEXT_LENGTH + COUNTER_STRIDE * thread;

/** The first task of thread `thread`'s block of a job of `tasks` tasks (`thread` = `threads`: the end). */
export const blockStart = (tasks: number, threads: number, thread: number): number =>
  Math.floor((thread * tasks) / threads);

/** Int32 words of a control block for `threads` threads. */
export const controlWords = (threads: number): number => blockCounter(threads, threads);

/** What a worker is started with (Node: `workerData`; browsers: the first message). */
export interface WorkerData {
  /**
   * The modules to instantiate on `memory`, each with its function exports: `CONTROL.EXPORT` indexes their
   * concatenation.
   */
  modules: { module: WebAssembly.Module; names: string[] }[];
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  /** This worker's thread index, in [1, threads). */
  thread: number;
  threads: number;
  /** The process's spin token ({@link spinToken}) and this worker's pool's id in it. */
  spinToken: SharedArrayBuffer;
  pool: number;
}

/** Messages from a worker: started (instantiated), or failed to start. */
export type WorkerMessage = { type: 'ready' } | { type: 'failed'; message: string };

const C = CONTROL;

export const workerSource = `'use strict';
(() => {
  const start = (data, post) => {
    const ctl = new Int32Array(data.control);
    const token = new Int32Array(data.spinToken);
    const text = ${C.SCRATCH} + data.threads;
    let kernels;
    try {
      kernels = data.modules.flatMap(({ module, names }) => {
        const exports = new WebAssembly.Instance(module, { env: { memory: data.memory } }).exports;
        return names.map((name) => exports[name]);
      });
    } catch (error) {
      Atomics.add(ctl, ${C.ARRIVED}, 1);
      Atomics.notify(ctl, ${C.ARRIVED});
      post({ type: 'failed', message: String(error) });
      return;
    }
    const fail = (task, error) => {
      if (Atomics.compareExchange(ctl, ${C.ERROR}, 0, 1) !== 0) return;
      const message = String(error).slice(0, ${ERROR_TEXT_LENGTH});
      for (let i = 0; i < message.length; i++) ctl[text + i] = message.charCodeAt(i);
      ctl[${C.ERROR_LENGTH}] = message.length;
      ctl[${C.ERROR_TASK}] = task;
      ctl[${C.ERROR_THREAD}] = data.thread;
    };
    const work = () => {
      const kernel = kernels[Atomics.load(ctl, ${C.EXPORT})];
      const tasks = Atomics.load(ctl, ${C.TASKS});
      const args = Atomics.load(ctl, ${C.ARGS});
      const scratch = Atomics.load(ctl, ${C.SCRATCH} + data.thread);
      // Its own block first, then the others' in turn (blockCounter, blockStart).
      for (let k = 0; k < data.threads; k++) {
        const owner = (data.thread + k) % data.threads;
        const counter = ${C.SCRATCH} + data.threads + ${ERROR_TEXT_LENGTH} + ${COUNTER_STRIDE} * owner;
        const end = Math.floor(((owner + 1) * tasks) / data.threads);
        for (;;) {
          const task = Atomics.add(ctl, counter, 1);
          if (task >= end) break;
          // After a failure the remaining tasks are only claimed, so the job ends soon.
          if (Atomics.load(ctl, ${C.ERROR}) !== 0) continue;
          try {
            kernel(task, args, scratch);
          } catch (error) {
            fail(task, error);
          }
        }
      }
    };
    Atomics.add(ctl, ${C.READY}, 1);
    Atomics.add(ctl, ${C.ARRIVED}, 1);
    Atomics.notify(ctl, ${C.ARRIVED});
    post({ type: 'ready' });
    let joined = -1;
    for (;;) {
      const state = Atomics.load(ctl, ${C.STATE});
      if (Atomics.load(ctl, ${C.STOP}) !== 0) return;
      const generation = state >>> ${STATE_GENERATION_SHIFT};
      if ((state & ${STATE_CLOSED}) !== 0 || generation === joined) {
        let checks = ${SPIN_CHECKS};
        while (checks-- > 0 && Atomics.load(ctl, ${C.STATE}) === state && Atomics.load(token, 0) === data.pool);
        if (Atomics.load(ctl, ${C.STATE}) === state) Atomics.wait(ctl, ${C.STATE}, state);
        continue;
      }
      if (Atomics.compareExchange(ctl, ${C.STATE}, state, state + 1) !== state) continue;
      joined = generation;
      try {
        work();
      } finally {
        const before = Atomics.sub(ctl, ${C.STATE}, 1);
        if ((before & ${STATE_CLOSED}) !== 0 && (before & ${STATE_COUNT}) === 1) Atomics.notify(ctl, ${C.STATE});
      }
    }
  };
  if (typeof require === 'function') {
    const threads = require('node:worker_threads');
    start(threads.workerData, (message) => threads.parentPort.postMessage(message));
  } else {
    self.onmessage = (event) => {
      self.onmessage = null;
      start(event.data, (message) => self.postMessage(message));
    };
  }
})();
`;
