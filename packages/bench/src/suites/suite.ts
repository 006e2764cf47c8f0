import type { BackendName } from '@inv/core';
import type { BenchEnvironment } from '../harness/environment.js';
import type { MeasureOptions } from '../harness/measure.js';
import type { BenchCase } from '../harness/types.js';
import type { PeerRun } from '../peer/run_peer_script.js';
import type { Comparison } from '../report/comparisons.js';
import type { ThroughputTarget } from '../report/throughput.js';

export interface SuiteContext {
  /** Smaller workloads for a smoke run (the peer gets the same ones, so ratios still hold). */
  quick: boolean;
  /** The CIFAR-10 folder (`cifar-10-batches-bin`) for suites that read it; each has its own default. */
  dataDir?: string;
}

/** A named set of cases, what to compare among them, and optionally a peer run at the same shapes. */
export interface Suite {
  name: string;
  description: string;
  /** The backends it runs on when `--backend` is not given. */
  defaultBackends: readonly BackendName[];
  cases(context: SuiteContext): BenchCase[];
  comparisons: readonly Comparison[];
  /** Images/s floors, for suites whose targets are absolute rather than relative to a baseline. */
  throughputTargets?: readonly ThroughputTarget[];
  /** What the suite measures of the machine itself before its cases (the kernels suite's peak), for the report. */
  environment?(): Promise<Pick<BenchEnvironment, 'peak'>>;
  peer?(
    context: SuiteContext,
    options: Pick<MeasureOptions, 'warmup' | 'minWarmupMs' | 'repeats'>,
  ): Promise<PeerRun>;
}
