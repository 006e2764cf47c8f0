import type * as tf from '@tensorflow/tfjs';

/** The median of `values` (non-empty). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Milliseconds of each of `calls` runs of `run`, each until its result is read back: GPU backends queue work
 * and return at once, so only the read-back makes the wall clock measure the computation.
 */
export async function timeCalls(run: () => tf.Tensor, calls: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    const result = run();
    await result.data();
    times.push(performance.now() - start);
    result.dispose();
  }
  return times;
}
