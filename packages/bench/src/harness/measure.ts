import * as tf from '@tensorflow/tfjs-core';
import { CaseBudget, realClock, type Clock } from './budget.js';
import type { MemoryStats, PreparedCase, TimingStats } from './types.js';
import { summarize } from './stats.js';

export interface MeasureOptions {
  /**
   * Untimed runs first (kernel compilation, allocator and JIT warm-up), within the budget; at least one, the
   * run that measures memory.
   */
  warmup: number;
  /**
   * Warm-up goes on, past `warmup` runs, until this long has passed since the first run (within the budget):
   * the first steps after start run while V8 still compiles on the other cores, which costs a short step on
   * all threads more than on one (seed-inv on 2 threads, wasm: 30.4 ms median after 2 warm-ups, 20.7 after
   * 30). Default 0.
   */
  minWarmupMs?: number;
  /** Timed repeats wanted (at least one). */
  repeats: number;
  /**
   * The case's budget, warm-up and repeats together, checked between runs: a case stops at the first check past
   * it, so it overruns by at most one run, and slow baselines (composite on cpu) stay affordable.
   */
  maxCaseMs: number;
}

/** What one case measured; `note` says when the budget cut it short and what the figures then are. */
export interface Measurement {
  timing: TimingStats;
  memory: MemoryStats;
  note?: string;
}

// cpu, wasm and tensorflow run kernels synchronously: when run() returns the work is done, and reading the
// outputs back would time a copy the peer never makes. Other backends (webgpu) queue work: wait for it.
const SYNCHRONOUS_BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm', 'tensorflow']);

async function settle(outputs: tf.Tensor[], backend: string): Promise<void> {
  if (SYNCHRONOUS_BACKENDS.has(backend)) return;
  await Promise.all(outputs.map((t) => t.data()));
}

/**
 * Measures a prepared case on the active backend. The first run is untimed and goes through `tf.profile` for
 * the peak tensor memory (profiling records every kernel, so it must stay out of the timed repeats); it is the
 * first warm-up, so slow cases pay for no extra run. Then the other warm-ups and the repeats, while the budget
 * lasts. A case whose budget is gone before any timed repeat reports its last untimed run (n = 1) with a note,
 * rather than spend minutes more on a run that would say little more.
 */
export async function measureCase(
  prepared: PreparedCase,
  backend: string,
  options: MeasureOptions,
  clock: Clock = realClock,
): Promise<Measurement> {
  const budget = new CaseBudget(options.maxCaseMs, clock);
  let peakRssBytes = 0;
  const timed = async (run: () => Promise<unknown>): Promise<number> => {
    const start = clock();
    await run();
    const ms = clock() - start;
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
    return ms;
  };
  const once = async (): Promise<tf.Tensor[]> => {
    const outputs = await prepared.run();
    await settle(outputs, backend);
    return outputs;
  };
  const before = tf.memory().numBytes;
  const warmupStart = clock();
  const minWarmupMs = options.minWarmupMs ?? 0;
  let profile: Awaited<ReturnType<typeof tf.profile>> | undefined;
  let lastUntimedMs = await timed(async () => {
    profile = await tf.profile(once);
  });
  tf.dispose(profile!.result as tf.Tensor[]);
  const peakTensorBytes = profile!.kernels.length > 0 ? profile!.peakBytes - before : null;
  let warmups = 1;
  for (
    ;
    (warmups < options.warmup || clock() - warmupStart < minWarmupMs) && !budget.exhausted();
    warmups++
  ) {
    lastUntimedMs = await timed(async () => tf.dispose(await once()));
  }
  const samplesMs: number[] = [];
  while (samplesMs.length < options.repeats && !budget.exhausted()) {
    // Disposal stays out of the sample: the timed span ends when the outputs are ready.
    let outputs: tf.Tensor[] = [];
    samplesMs.push(
      await timed(async () => {
        outputs = await once();
      }),
    );
    tf.dispose(outputs);
  }
  const seconds = `${options.maxCaseMs / 1000} s`;
  let note: string | undefined;
  if (samplesMs.length === 0) {
    samplesMs.push(lastUntimedMs);
    warmups -= 1;
    note =
      warmups === 0
        ? `over the ${seconds} case budget after one run: n=1 is that cold, profiled run`
        : `over the ${seconds} case budget after ${warmups + 1} warm-ups: n=1 is the last of them`;
  } else if (samplesMs.length < options.repeats) {
    note = `${seconds} case budget reached after ${samplesMs.length} of ${options.repeats} repeats`;
  }
  return {
    timing: { warmup: warmups, repeats: samplesMs.length, samplesMs, ...summarize(samplesMs) },
    memory: { peakTensorBytes, peakRssBytes },
    ...(note === undefined ? {} : { note }),
  };
}
