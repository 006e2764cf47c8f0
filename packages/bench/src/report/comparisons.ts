import type { BenchMode, CaseResult } from '../harness/types.js';

/** "subject vs baseline" at every case, mode and backend both ran; with `minSpeedup`, a target. */
export interface Comparison {
  label: string;
  subject: string;
  baseline: string;
  /** The baseline's backend when it is not the subject's (the peer runs outside tfjs). */
  baselineBackend?: string;
  /** Only these modes (default: all). */
  modes?: readonly BenchMode[];
  /** Only these cases (default: all): a target stated for one workload. */
  cases?: readonly string[];
  /** The target: baseline time / subject time must reach this. Absent: informational. */
  minSpeedup?: number;
  /** The known cause of a miss, per subject backend: printed beside MISSED. */
  missedBecause?: Readonly<Partial<Record<string, string>>>;
}

export interface ComparisonResult {
  label: string;
  case: string;
  mode: BenchMode;
  backend: string;
  subjectMs: number | null;
  baselineMs: number | null;
  /** baseline / subject: how many times faster the subject is (the inverse of the subject/baseline ratio). */
  speedup: number | null;
  minSpeedup: number | null;
  /** Whether the target was reached; `null` when informational or when a side could not be measured. */
  met: boolean | null;
  /** Why a side is missing. */
  reason?: string;
  /** When missed, the known cause on this backend. */
  missedBecause?: string;
}

function medianOf(row: CaseResult): number | null {
  return row.status === 'ok' ? row.timing.medianMs : null;
}

export function compare(
  results: readonly CaseResult[],
  comparisons: readonly Comparison[],
): ComparisonResult[] {
  return comparisons.flatMap((c) =>
    results
      .filter(
        (s) =>
          s.impl === c.subject &&
          (c.modes === undefined || c.modes.includes(s.mode)) &&
          (c.cases === undefined || c.cases.includes(s.case)),
      )
      .flatMap((subject): ComparisonResult[] => {
        const backend = c.baselineBackend ?? subject.backend;
        const baseline = results.find(
          (b) =>
            b.impl === c.baseline &&
            b.suite === subject.suite &&
            b.case === subject.case &&
            b.mode === subject.mode &&
            b.backend === backend,
        );
        if (baseline === undefined) return []; // filtered out of this run: nothing to say
        const subjectMs = medianOf(subject);
        const baselineMs = medianOf(baseline);
        const speedup = subjectMs !== null && baselineMs !== null ? baselineMs / subjectMs : null;
        const met = c.minSpeedup === undefined || speedup === null ? null : speedup >= c.minSpeedup;
        const missedBecause = met === false ? c.missedBecause?.[subject.backend] : undefined;
        const reasons = [subject, baseline].flatMap((r) =>
          r.status === 'unavailable' ? [`${r.impl}: ${r.reason}`] : [],
        );
        return [
          {
            label: c.label,
            case: subject.case,
            mode: subject.mode,
            backend: subject.backend,
            subjectMs,
            baselineMs,
            speedup,
            minSpeedup: c.minSpeedup ?? null,
            met,
            ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
            ...(missedBecause === undefined ? {} : { missedBecause }),
          },
        ];
      }),
  );
}
