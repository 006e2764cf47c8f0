import type { MeasureOptions } from '../harness/measure.js';
import type { BenchCase } from '../harness/types.js';
import type { PeerRun } from '../peer/torch_peer.js';
import type { Comparison } from '../report/comparisons.js';

export interface SuiteContext {
  /** Smaller workloads for a smoke run (the peer gets the same ones, so ratios still hold). */
  quick: boolean;
}

/** A named set of cases, what to compare among them, and optionally a peer run at the same shapes. */
export interface Suite {
  name: string;
  description: string;
  cases(context: SuiteContext): BenchCase[];
  comparisons: readonly Comparison[];
  peer?(context: SuiteContext, options: Pick<MeasureOptions, 'warmup' | 'repeats'>): Promise<PeerRun>;
}
