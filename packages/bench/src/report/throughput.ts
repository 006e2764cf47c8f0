import type { CaseResult } from '../harness/types.js';

/** An absolute target: every row of `impl` must reach `minImagesPerSecond`. */
export interface ThroughputTarget {
  label: string;
  impl: string;
  minImagesPerSecond: number;
}

export interface ThroughputResult {
  label: string;
  case: string;
  backend: string;
  imagesPerSecond: number | null;
  minImagesPerSecond: number;
  /** `null` when the row could not be measured (`reason` says why). */
  met: boolean | null;
  reason?: string;
}

export function checkThroughput(
  results: readonly CaseResult[],
  targets: readonly ThroughputTarget[],
): ThroughputResult[] {
  return targets.flatMap((t) =>
    results
      .filter((r) => r.impl === t.impl)
      .map((r): ThroughputResult => {
        const imagesPerSecond = r.status === 'ok' ? (r.imagesPerSecond ?? null) : null;
        return {
          label: t.label,
          case: r.case,
          backend: r.backend,
          imagesPerSecond,
          minImagesPerSecond: t.minImagesPerSecond,
          met: imagesPerSecond === null ? null : imagesPerSecond >= t.minImagesPerSecond,
          ...(r.status === 'unavailable' ? { reason: r.reason } : {}),
        };
      }),
  );
}
