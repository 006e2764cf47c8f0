import { initBackend, type BackendName } from '@inv/core';
import { compare } from './report/comparisons.js';
import { REPORT_SCHEMA, type BenchReport } from './report/report.js';
import { checkThroughput } from './report/throughput.js';
import type { Suite, SuiteContext } from './suites/suite.js';
import { softwareAdapterReason, webgpuAdapterInfo } from '@inv/core';
import { captureEnvironment } from './harness/environment.js';
import { measureCase, type MeasureOptions } from './harness/measure.js';
import type { BenchCase, CaseKey, CaseResult } from './harness/types.js';

export interface RunOptions extends MeasureOptions, SuiteContext {
  backends: BackendName[];
  /**
   * Run webgpu on a software adapter (SwiftShader, llvmpipe) too. Off: such a backend is one "webgpu skipped:
   * software adapter (…)" row per case, since it takes minutes and says nothing about GPUs.
   */
  allowSoftwareWebgpu: boolean;
  /** Run the suite's peer too (when it has one). */
  peer: boolean;
  /** Only cases whose `case/impl/mode` contains this. */
  filter?: string;
  /** Progress, one line per row. */
  log?: (line: string) => void;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

function keyOf(suite: Suite, c: BenchCase, backend: string): CaseKey {
  return { suite: suite.name, case: c.case, shape: c.shape, impl: c.impl, mode: c.mode, backend };
}

async function runCase(key: CaseKey, benchCase: BenchCase, options: MeasureOptions): Promise<CaseResult> {
  let prepared;
  try {
    prepared = await benchCase.prepare(key.backend);
    const { timing, memory, note } = await measureCase(prepared, key.backend, options);
    const notes = [prepared.note, note].filter((n) => n !== undefined);
    const { imagesPerRun, flopsPerRun, peakGflops } = prepared;
    const gflops = flopsPerRun === undefined ? undefined : flopsPerRun / timing.medianMs / 1e6;
    return {
      ...key,
      status: 'ok',
      timing,
      memory,
      ...(imagesPerRun === undefined ? {} : { imagesPerSecond: imagesPerRun / (timing.medianMs / 1000) }),
      ...(gflops === undefined ? {} : { gflops }),
      ...(gflops === undefined || peakGflops === undefined
        ? {}
        : { percentOfPeak: (100 * gflops) / peakGflops }),
      ...(notes.length === 0 ? {} : { note: notes.join('; ') }),
    };
  } catch (error) {
    // A kernel the backend lacks (wasm has no Conv2DBackpropFilter) is a row, not the end of the run.
    return { ...key, status: 'unavailable', reason: reasonOf(error) };
  } finally {
    prepared?.dispose();
  }
}

function selected(filter: string | undefined, c: Pick<CaseResult, 'case' | 'impl' | 'mode'>): boolean {
  return filter === undefined || `${c.case}/${c.impl}/${c.mode}`.includes(filter);
}

function describe(row: CaseResult): string {
  const what = `${row.suite} ${row.case} ${row.impl} ${row.mode} on ${row.backend}`;
  return row.status === 'ok'
    ? `${what}: ${row.timing.medianMs.toFixed(2)} ms median of ${row.timing.repeats}` +
        (row.imagesPerSecond === undefined ? '' : `, ${row.imagesPerSecond.toFixed(0)} images/s`) +
        (row.gflops === undefined ? '' : `, ${row.gflops.toFixed(2)} GFLOP/s`)
    : `${what}: ${row.reason}`;
}

/** Runs every case of the suite on each backend in turn, then the peer, and assembles the report. */
export async function runSuite(suite: Suite, options: RunOptions): Promise<BenchReport> {
  const { warmup, minWarmupMs = 0, repeats, maxCaseMs } = options;
  const environment = captureEnvironment();
  // Measured before the cases, while nothing else of this process runs (the kernels suite's peak).
  const suiteEnvironment = (await suite.environment?.()) ?? {};
  const context: SuiteContext = {
    quick: options.quick,
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  };
  const cases = suite.cases(context).filter((c) => selected(options.filter, c));
  const started: string[] = [];
  const results: CaseResult[] = [];
  const record = (row: CaseResult) => {
    results.push(row);
    options.log?.(describe(row));
  };
  const skip = (backend: string, reason: string) => {
    for (const c of cases) record({ ...keyOf(suite, c, backend), status: 'unavailable', reason });
  };
  for (const backend of options.backends) {
    try {
      await initBackend(backend);
    } catch (error) {
      skip(backend, `backend unavailable: ${reasonOf(error)}`);
      continue;
    }
    if (backend === 'webgpu' && !options.allowSoftwareWebgpu) {
      const software = softwareAdapterReason(await webgpuAdapterInfo());
      if (software !== null) {
        skip(backend, `webgpu skipped: software adapter (${software}); --backend webgpu runs it anyway`);
        continue;
      }
    }
    started.push(backend);
    for (const c of cases.filter((c) => c.backends?.includes(backend) ?? true))
      record(await runCase(keyOf(suite, c, backend), c, { warmup, minWarmupMs, repeats, maxCaseMs }));
  }
  let peer: BenchReport['peer'] = null;
  // After the tfjs cases, never beside them: both would compete for the same cores.
  if (options.peer && suite.peer !== undefined) {
    const run = await suite.peer(context, { warmup, minWarmupMs, repeats });
    peer = run.environment;
    run.results.filter((r) => selected(options.filter, r)).forEach(record);
  }
  return {
    schema: REPORT_SCHEMA,
    suite: suite.name,
    quick: options.quick,
    options: { warmup, minWarmupMs, repeats, maxCaseMs, backends: options.backends },
    environment: { ...environment, ...suiteEnvironment, backends: started },
    peer,
    results,
    comparisons: compare(results, suite.comparisons),
    throughput: checkThroughput(results, suite.throughputTargets ?? []),
  };
}
