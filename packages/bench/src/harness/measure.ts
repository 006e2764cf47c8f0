import * as tf from '@tensorflow/tfjs-core';
import type { MemoryStats, PreparedCase, TimingStats } from './types.js';
import { summarize } from './stats.js';

export interface MeasureOptions {
  /** Untimed repeats first (kernel compilation, allocator and JIT warm-up), also within `maxCaseMs`. */
  warmup: number;
  /** Timed repeats wanted. */
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
 * Times a prepared case on the active backend (warm-up, then repeats within the budget), then runs it once
 * more under `tf.profile` for its peak tensor memory, kept out of the timed repeats because profiling
 * records every kernel.
 */
export async function measureCase(
  prepared: PreparedCase,
  backend: string,
  options: MeasureOptions,
): Promise<{ timing: TimingStats; memory: MemoryStats }> {
  let peakRssBytes = 0;
  const repeat = async (): Promise<number> => {
    const start = performance.now();
    const outputs = prepared.run();
    await settle(outputs, backend);
    const ms = performance.now() - start;
    tf.dispose(outputs);
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
    return ms;
  };
  // A repeat of many seconds needs no second warm-up: stop once warm-up alone has used the case's budget.
  let warmups = 0;
  for (let warmMs = 0; warmups < options.warmup && warmMs < options.maxCaseMs; warmups++)
    warmMs += await repeat();
  const samplesMs: number[] = [];
  let spentMs = 0;
  while (
    samplesMs.length < Math.max(1, options.repeats) &&
    (samplesMs.length === 0 || spentMs < options.maxCaseMs)
  ) {
    const ms = await repeat();
    samplesMs.push(ms);
    spentMs += ms;
  }
  const before = tf.memory().numBytes;
  const profile = await tf.profile(async () => {
    const outputs = prepared.run();
    await settle(outputs, backend);
    return outputs;
  });
  tf.dispose(profile.result as tf.Tensor[]);
  return {
    timing: { warmup: warmups, repeats: samplesMs.length, samplesMs, ...summarize(samplesMs) },
    memory: { peakTensorBytes: profile.kernels.length > 0 ? profile.peakBytes - before : null, peakRssBytes },
  };
}
