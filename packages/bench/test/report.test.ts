import { describe, expect, it } from 'vitest';
import {
  checkThroughput,
  COMPARISON_COLUMNS,
  THROUGHPUT_COLUMNS,
  compare,
  REPORT_SCHEMA,
  RESULT_COLUMNS,
  renderMarkdown,
  toJson,
  type BenchReport,
  type CaseResult,
} from '../src/index.js';

function ok(impl: string, backend: string, medianMs: number): CaseResult {
  return {
    suite: 'op',
    case: 'seed',
    shape: 'B2 4×4 C3 K3 G1',
    impl,
    mode: 'forward+backward',
    backend,
    status: 'ok',
    timing: {
      warmup: 1,
      repeats: 3,
      samplesMs: [medianMs, medianMs, medianMs],
      medianMs,
      minMs: medianMs,
      maxMs: medianMs,
    },
    memory: { peakTensorBytes: 2 * 1024 * 1024, peakRssBytes: 100 * 1024 * 1024 },
  };
}

const results: CaseResult[] = [
  ok('fused', 'cpu', 10),
  ok('composite', 'cpu', 80),
  ok('fused', 'wasm', 20),
  ok('composite', 'wasm', 60),
  {
    ...ok('peer', 'torch', 0),
    status: 'unavailable',
    reason: 'peer unavailable: no Python with torch',
  } as CaseResult,
];

const comparisons = compare(results, [
  { label: 'fused vs composite', subject: 'fused', baseline: 'composite', minSpeedup: 5 },
  { label: 'fused vs peer', subject: 'fused', baseline: 'peer', baselineBackend: 'torch', minSpeedup: 5 },
]);

const report: BenchReport = {
  schema: REPORT_SCHEMA,
  suite: 'op',
  quick: true,
  options: { warmup: 1, repeats: 3, maxCaseMs: 5000, backends: ['cpu', 'wasm'] },
  environment: {
    date: '2026-01-01T00:00:00.000Z',
    cpuModel: 'Test CPU',
    cores: 2,
    loadAverage: [1, 1, 1],
    totalMemoryBytes: 2 ** 34,
    platform: 'linux',
    node: 'v20',
    backends: ['cpu', 'wasm'],
    packages: { '@inv/core': '0.1.0' },
    git: null,
  },
  peer: null,
  results,
  comparisons,
  throughput: [],
};

describe('compare', () => {
  it('gives baseline/subject speedups and whether each target is met', () => {
    const byBackend = comparisons.filter((c) => c.label === 'fused vs composite');
    expect(byBackend.map((c) => [c.backend, c.speedup, c.met])).toEqual([
      ['cpu', 8, true],
      ['wasm', 3, false],
    ]);
  });

  it('leaves a target unevaluated, with the reason, when the baseline could not run', () => {
    const peer = comparisons.filter((c) => c.label === 'fused vs peer');
    expect(peer).toHaveLength(2);
    expect(peer[0]).toMatchObject({
      speedup: null,
      met: null,
      baselineMs: null,
      reason: 'peer: peer unavailable: no Python with torch',
    });
  });
});

describe('targets', () => {
  it('gives the known cause of a missed target on that backend', () => {
    const [cpu, wasm] = compare(results, [
      {
        label: 'fused vs composite',
        subject: 'fused',
        baseline: 'composite',
        minSpeedup: 5,
        missedBecause: { wasm: 'one thread' },
      },
    ]);
    expect(cpu).not.toHaveProperty('missedBecause');
    expect(wasm).toMatchObject({ met: false, missedBecause: 'one thread' });
    const markdown = renderMarkdown({ ...report, comparisons: [cpu!, wasm!] });
    expect(markdown).toContain('| 3.00× | ≥ 5× | MISSED: one thread |');
  });

  it('checks images/s floors row by row and renders them', () => {
    const rows: CaseResult[] = [
      { ...ok('loader', 'cpu', 1000), imagesPerSecond: 50_000 } as CaseResult,
      { ...ok('loader', 'wasm', 1000), imagesPerSecond: 5_000 } as CaseResult,
    ];
    const throughput = checkThroughput(rows, [
      { label: 'loader images/s', impl: 'loader', minImagesPerSecond: 20_000 },
    ]);
    expect(throughput.map((t) => [t.backend, t.met])).toEqual([
      ['cpu', true],
      ['wasm', false],
    ]);
    const markdown = renderMarkdown({ ...report, results: rows, throughput });
    expect(markdown).toContain(`| ${THROUGHPUT_COLUMNS.join(' | ')} |`);
    expect(markdown).toContain('| loader images/s | seed | wasm | 5,000 | ≥ 20,000 | MISSED |');
    expect(markdown).toContain('| 1000 | 1000 | 1000 | 50,000 |');
  });
});

describe('JSON report', () => {
  it('round-trips with its schema fields', () => {
    const parsed = JSON.parse(toJson(report)) as Record<string, unknown>;
    expect(parsed['schema']).toBe('inv-bench/1');
    expect(Object.keys(parsed).sort()).toEqual([
      'comparisons',
      'environment',
      'options',
      'peer',
      'quick',
      'results',
      'schema',
      'suite',
      'throughput',
    ]);
    expect(Object.keys(parsed['environment'] as object)).toEqual(
      expect.arrayContaining([
        'date',
        'cpuModel',
        'cores',
        'loadAverage',
        'node',
        'backends',
        'packages',
        'git',
      ]),
    );
    const row = (parsed['results'] as Record<string, unknown>[])[0]!;
    expect(Object.keys(row)).toEqual(
      expect.arrayContaining([
        'suite',
        'case',
        'shape',
        'impl',
        'mode',
        'backend',
        'status',
        'timing',
        'memory',
      ]),
    );
    expect(Object.keys(row['timing'] as object).sort()).toEqual([
      'maxMs',
      'medianMs',
      'minMs',
      'repeats',
      'samplesMs',
      'warmup',
    ]);
  });
});

describe('Markdown report', () => {
  const markdown = renderMarkdown(report);
  const lines = markdown.split('\n');

  it('has the results table with every column, one row per result', () => {
    const header = lines.indexOf(`| ${RESULT_COLUMNS.join(' | ')} |`);
    expect(header).toBeGreaterThan(0);
    expect(RESULT_COLUMNS).toEqual(
      expect.arrayContaining([
        'Impl',
        'Backend',
        'Median ms',
        'Min ms',
        'Max ms',
        'Peak tensors MB',
        'Peak RSS MB',
      ]),
    );
    const rows = lines.slice(header + 2).filter((l) => l.startsWith('| seed'));
    expect(rows).toHaveLength(results.length);
    expect(rows.every((r) => r.split(' | ').length === RESULT_COLUMNS.length)).toBe(true);
    expect(rows[0]).toContain('| 10.0 | 10.0 | 10.0 | — | 2.0 | 100.0 |');
  });

  it('says why a row has no numbers', () => {
    expect(markdown).toMatch(
      /\| peer \| forward\+backward \| torch \| — .*\| peer unavailable: no Python with torch \|/,
    );
  });

  it('has the comparisons table with speedups and missed targets', () => {
    expect(lines).toContain(`| ${COMPARISON_COLUMNS.join(' | ')} |`);
    expect(markdown).toContain(
      '| fused vs composite | seed | forward+backward | cpu | 10.0 | 80.0 | 8.00× | ≥ 5× | yes |',
    );
    expect(markdown).toContain(
      '| fused vs composite | seed | forward+backward | wasm | 20.0 | 60.0 | 3.00× | ≥ 5× | MISSED |',
    );
  });

  it('records the environment', () => {
    expect(markdown).toContain('Test CPU × 2 cores');
    expect(markdown).toContain('@inv/core 0.1.0');
  });
});
