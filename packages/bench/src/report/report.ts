import type { BenchEnvironment } from '../harness/environment.js';
import type { MeasureOptions } from '../harness/measure.js';
import type { CaseResult } from '../harness/types.js';
import type { ComparisonResult } from './comparisons.js';
import type { ThroughputResult } from './throughput.js';

/** Bumped when a field changes meaning or goes away, so stored reports stay comparable. */
export const REPORT_SCHEMA = 'inv-bench/1';

/** Everything one run measured, with where and how: the JSON written by `--json`. */
export interface BenchReport {
  schema: typeof REPORT_SCHEMA;
  suite: string;
  quick: boolean;
  options: MeasureOptions & { backends: string[] };
  environment: BenchEnvironment;
  /** The peer's runtime (python, torch, threads), or null when it did not run. */
  peer: Record<string, unknown> | null;
  results: CaseResult[];
  comparisons: ComparisonResult[];
  /** The suite's images/s floors, row by row (empty when it has none). */
  throughput: ThroughputResult[];
}

export function toJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
