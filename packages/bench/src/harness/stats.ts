/** Median, minimum and maximum of a non-empty sample (the median of an even count is the mean of the middle two). */
export function summarize(samples: readonly number[]): { medianMs: number; minMs: number; maxMs: number } {
  if (samples.length === 0) throw new Error('summarize: no samples (expected at least one timed repeat)');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { medianMs, minMs: sorted[0]!, maxMs: sorted[sorted.length - 1]! };
}
