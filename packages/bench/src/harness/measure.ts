import * as tf from '@tensorflow/tfjs-core';
import type { MemoryStats, PreparedCase, TimingStats } from './types.js';
import { summarize } from './stats.js';

export interface MeasureOptions {
  /**
   * Untimed runs first (kernel compilation, allocator and JIT warm-up), within `maxCaseMs`; at least one, the
   * run that measures memory.
   */
  warmup: number;
  /** Timed repeats wanted (at least one). */
  repeats: number;
  /** Stop repeating once the timed repeats add up to this (one always runs): slow baselines stay affordable. */
  maxCaseMs: number;
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
 * first warm-up, so slow cases pay for no extra run. Then the other warm-ups and the repeats, within the budget.
 */
export async function measureCase(
  prepared: PreparedCase,
  backend: string,
  options: MeasureOptions,
): Promise<{ timing: TimingStats; memory: MemoryStats }> {
  let peakRssBytes = 0;
  const timed = async (run: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    await run();
    const ms = performance.now() - start;
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
    return ms;
  };
  const once = async (): Promise<tf.Tensor[]> => {
    const outputs = prepared.run();
    await settle(outputs, backend);
    return outputs;
  };
  const before = tf.memory().numBytes;
  let profile: Awaited<ReturnType<typeof tf.profile>> | undefined;
  let warmMs = await timed(async () => {
    profile = await tf.profile(once);
  });
  tf.dispose(profile!.result as tf.Tensor[]);
  const peakTensorBytes = profile!.kernels.length > 0 ? profile!.peakBytes - before : null;
  // A run of many seconds needs no second warm-up: stop once warm-up has used the case's budget.
  let warmups = 1;
  for (; warmups < options.warmup && warmMs < options.maxCaseMs; warmups++) {
    warmMs += await timed(async () => tf.dispose(await once()));
  }
  const samplesMs: number[] = [];
  let spentMs = 0;
  while (samplesMs.length < options.repeats && (samplesMs.length === 0 || spentMs < options.maxCaseMs)) {
    // Disposal stays out of the sample: the timed span ends when the outputs are ready.
    let outputs: tf.Tensor[] = [];
    const ms = await timed(async () => {
      outputs = await once();
    });
    tf.dispose(outputs);
    samplesMs.push(ms);
    spentMs += ms;
  }
  return {
    timing: { warmup: warmups, repeats: samplesMs.length, samplesMs, ...summarize(samplesMs) },
    memory: { peakTensorBytes, peakRssBytes },
  };
}
