import { describe, expect, it } from 'vitest';
import {
  ALL_THREADS,
  ENGINE_1T_IMPL,
  ENGINE_ALL_IMPL,
  FILTER_GRAD_GEMM_CASE,
  GEMM_SQUARE_CASE,
  KERNEL_IMPLS,
  kernelsSuite,
  STREAM_CASE,
  renderMarkdown,
  TFJS_WASM_IMPL,
} from '../src/index.js';
import { smokeRun } from './helpers/smoke_run.js';

describe('kernels suite', () => {
  it('has every kernel case for each impl, quick ones at an eighth of the batch, and the two targets', () => {
    const cases = kernelsSuite.cases({ quick: false });
    // GEMM 1024³, the Dense layer's three products, the filter-gradient GEMM, the memory stream, 10
    // convolutions × 3 kernels.
    expect(cases).toHaveLength((1 + 3 + 1 + 1 + 10 * 3) * KERNEL_IMPLS.length);
    expect(KERNEL_IMPLS).toEqual(
      ALL_THREADS === 1
        ? [ENGINE_1T_IMPL, TFJS_WASM_IMPL]
        : [ENGINE_1T_IMPL, ENGINE_ALL_IMPL, TFJS_WASM_IMPL],
    );
    const shapeOf = (quick: boolean, name: string) =>
      kernelsSuite.cases({ quick }).find((c) => c.case === name)!.shape;
    expect(shapeOf(false, FILTER_GRAD_GEMM_CASE)).toBe('[65536×64]ᵀ·[65536×288]');
    expect(shapeOf(true, FILTER_GRAD_GEMM_CASE)).toBe('[8192×64]ᵀ·[8192×288]');
    expect(shapeOf(true, 'rednet 7×7 3→64 s2')).toBe('B8 32×32×3, 7×7→64 s2');
    expect(shapeOf(true, GEMM_SQUARE_CASE)).toBe('[1024×1024]·[1024×1024]');
    expect(shapeOf(false, STREAM_CASE)).toBe('[6291456] + [6291456] (12 bytes a float)');
    const targets = kernelsSuite.comparisons.filter((c) => c.minSpeedup !== undefined);
    expect(targets.map((c) => [c.subject, c.baseline, c.cases, c.minSpeedup])).toEqual([
      [ENGINE_1T_IMPL, TFJS_WASM_IMPL, [GEMM_SQUARE_CASE], 1],
      [ENGINE_1T_IMPL, TFJS_WASM_IMPL, [FILTER_GRAD_GEMM_CASE], 10],
    ]);
  });

  it('reports GFLOP/s and % of peak for every row, and the peaks and thread counts', async () => {
    const report = await smokeRun(kernelsSuite, ['wasm'], { filter: 'dense', repeats: 2 });
    expect(report.results).toHaveLength(3 * KERNEL_IMPLS.length);
    for (const row of report.results) {
      expect(row.status, `${row.impl} ${row.mode}`).toBe('ok');
      if (row.status !== 'ok') continue;
      expect(Number.isFinite(row.gflops) && row.gflops! > 0).toBe(true);
      expect(Number.isFinite(row.percentOfPeak) && row.percentOfPeak! > 0).toBe(true);
    }
    const { peak, engineThreads } = report.environment;
    expect(peak?.threads).toBe(ALL_THREADS);
    expect(peak!.oneThreadGflops).toBeGreaterThan(0);
    expect(peak!.allThreadsGflops).toBeGreaterThan(0);
    expect(engineThreads).toBeGreaterThanOrEqual(1);
    // engine-1t vs tfjs-wasm per mode, and all threads vs 1 thread where there are more.
    expect(report.comparisons).toHaveLength(ALL_THREADS === 1 ? 3 : 6);
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('| GFLOP/s | % of peak |');
    expect(markdown).toContain(`on ${ALL_THREADS} threads`);
    expect(markdown).toContain(`engine threads ${engineThreads}`);
  });

  it('times the memory stream on the engine and stock, in GFLOP/s (additions) without a % of peak', async () => {
    const report = await smokeRun(kernelsSuite, ['wasm'], { filter: 'stream', repeats: 2 });
    expect(report.results.map((r) => r.impl)).toEqual([...KERNEL_IMPLS]);
    for (const row of report.results) {
      expect(row.status, row.impl).toBe('ok');
      if (row.status !== 'ok') continue;
      expect(row.shape).toBe('[786432] + [786432] (12 bytes a float)');
      expect(Number.isFinite(row.gflops) && row.gflops! > 0).toBe(true);
      expect(row.percentOfPeak).toBeUndefined();
    }
  });
});
