import { Worker } from 'node:worker_threads';

/** The engine module's `peak(n, a, b)` probe: n iterations of 12 independent 4-lane chains acc·a + b. */
export const PEAK_FLOPS_PER_ITERATION = 12 * 4 * 2;

export interface PeakOptions {
  /** Timed rounds, all threads started together; the best round is the peak. */
  rounds?: number;
  /** Probe calls per thread and round. */
  calls?: number;
}

const ITERATIONS = 20_000;

// Each worker instantiates the module on a memory of its own, calls the probe many times (V8 swaps in the
// optimised code only for later calls), then runs `calls` probes per round when the main thread says go.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, go, rounds, calls, iterations } = workerData;
const memory = new WebAssembly.Memory({ initial: 1 });
const { peak } = new WebAssembly.Instance(module, { env: { memory } }).exports;
for (let i = 0; i < 500; i++) peak(iterations, 0.999, 0.001);
const flag = new Int32Array(go);
for (let round = 1; round <= rounds; round++) {
  parentPort.postMessage('ready');
  Atomics.wait(flag, 0, round - 1);
  const start = performance.now();
  for (let i = 0; i < calls; i++) peak(iterations, 0.999, 0.001);
  parentPort.postMessage(performance.now() - start);
}
`;

/**
 * GFLOP/s of the engine module's SIMD multiply-add probe on `threads` threads at once (worker threads, the
 * main one waiting): the throughput ceiling of its kernels on this machine at that thread count.
 */
export async function measurePeakGflops(
  module: WebAssembly.Module,
  threads: number,
  options: PeakOptions = {},
): Promise<number> {
  const { rounds = 10, calls = 2000 } = options;
  const go = new SharedArrayBuffer(4);
  const flag = new Int32Array(go);
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, go, rounds, calls, iterations: ITERATIONS },
      }),
  );
  // Each worker's messages in order: 'ready', then that round's milliseconds, per round.
  const queues = workers.map((worker) => {
    const messages: (string | number)[] = [];
    let waiting: { resolve(m: string | number): void; reject(e: unknown): void } | undefined;
    let failure: unknown;
    worker.on('message', (m: string | number) => {
      if (waiting) waiting.resolve(m);
      else messages.push(m);
      waiting = undefined;
    });
    worker.on('error', (error) => {
      failure = error;
      waiting?.reject(error);
    });
    return () =>
      new Promise<string | number>((resolve, reject) => {
        if (messages.length > 0) resolve(messages.shift()!);
        else if (failure !== undefined) reject(failure);
        else waiting = { resolve, reject };
      });
  });
  try {
    let best = 0;
    for (let round = 1; round <= rounds; round++) {
      await Promise.all(queues.map((next) => next()));
      Atomics.store(flag, 0, round);
      Atomics.notify(flag, 0);
      const ms = (await Promise.all(queues.map((next) => next()))) as number[];
      const flops = threads * calls * ITERATIONS * PEAK_FLOPS_PER_ITERATION;
      best = Math.max(best, flops / Math.max(...ms) / 1e6);
    }
    return best;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
