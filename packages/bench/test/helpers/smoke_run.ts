import type { BackendName } from '@inv/core';
import { runSuite, type BenchReport, type RunOptions, type Suite } from '../../src/index.js';

/**
 * A suite run as the tests make it: quick shapes on `backends`, no peer, no software webgpu, one warm-up
 * and one repeat (a repeat's work is what they check, not its time); `options` overrides any of that.
 */
export function smokeRun(
  suite: Suite,
  backends: BackendName[],
  options: Partial<RunOptions> = {},
): Promise<BenchReport> {
  return runSuite(suite, {
    backends,
    allowSoftwareWebgpu: false,
    quick: true,
    peer: false,
    warmup: 1,
    repeats: 1,
    maxCaseMs: 5000,
    ...options,
  });
}
