import type { CaseResult } from '../harness/types.js';
import type { ComparisonResult } from './comparisons.js';
import type { BenchReport } from './report.js';
import type { ThroughputResult } from './throughput.js';

export const RESULT_COLUMNS = [
  'Case',
  'Shape',
  'Impl',
  'Mode',
  'Backend',
  'n',
  'Median ms',
  'Min ms',
  'Max ms',
  'Images/s',
  'Peak tensors MB',
  'Peak RSS MB',
  'Note',
] as const;

/** Inserted after Images/s when a row counts floating-point operations (the kernels suite). */
export const FLOPS_COLUMNS = ['GFLOP/s', '% of peak'] as const;

export const COMPARISON_COLUMNS = [
  'Comparison',
  'Case',
  'Mode',
  'Backend',
  'Subject ms',
  'Baseline ms',
  'Speedup',
  'Target',
  'Met',
] as const;

export const THROUGHPUT_COLUMNS = ['Target', 'Case', 'Backend', 'Images/s', 'Floor', 'Met'] as const;

const MB = 1024 * 1024;

function ms(value: number | null): string {
  if (value === null) return '—';
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function mb(bytes: number | null): string {
  return bytes === null ? '—' : (bytes / MB).toFixed(1);
}

function perSecond(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en');
}

/** The Met cell: yes, MISSED (with the known cause), or not evaluated (with why a side is missing). */
function metCell(met: boolean | null, hasTarget: boolean, reason?: string, missedBecause?: string): string {
  if (met === null) return hasTarget ? `not evaluated${reason ? `: ${reason}` : ''}` : '';
  if (met) return 'yes';
  return missedBecause === undefined ? 'MISSED' : `MISSED: ${missedBecause}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(columns: readonly string[], rows: string[][]): string[] {
  return [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function gflops(value: number | undefined): string {
  return value === undefined ? '—' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function resultRow(r: CaseResult, flops: boolean): string[] {
  const key = [r.case, r.shape, r.impl, r.mode, r.backend];
  const dashes = (n: number) => Array<string>(n).fill('—');
  if (r.status === 'unavailable') return [...key, ...dashes(flops ? 9 : 7), r.reason];
  const { timing: t, memory: m } = r;
  return [
    ...key,
    String(t.repeats),
    ms(t.medianMs),
    ms(t.minMs),
    ms(t.maxMs),
    perSecond(r.imagesPerSecond),
    ...(flops
      ? [gflops(r.gflops), r.percentOfPeak === undefined ? '—' : `${r.percentOfPeak.toFixed(0)}%`]
      : []),
    mb(m.peakTensorBytes),
    mb(m.peakRssBytes),
    r.note ?? '',
  ];
}

function comparisonRow(c: ComparisonResult): string[] {
  const met = metCell(c.met, c.minSpeedup !== null, c.reason, c.missedBecause);
  return [
    c.label,
    c.case,
    c.mode,
    c.backend,
    ms(c.subjectMs),
    ms(c.baselineMs),
    c.speedup === null ? '—' : `${c.speedup.toFixed(2)}×`,
    c.minSpeedup === null ? '' : `≥ ${c.minSpeedup}×`,
    met,
  ];
}

function throughputRow(t: ThroughputResult): string[] {
  return [
    t.label,
    t.case,
    t.backend,
    perSecond(t.imagesPerSecond),
    `≥ ${perSecond(t.minImagesPerSecond)}`,
    metCell(t.met, true, t.reason),
  ];
}

/** The report as Markdown: environment, one row per result, then the comparisons and targets. */
export function renderMarkdown(report: BenchReport): string {
  const e = report.environment;
  const git = e.git
    ? `${e.git.commit.slice(0, 10)}${e.git.dirty ? ' (uncommitted changes)' : ''}`
    : 'unknown';
  const peer = report.peer
    ? Object.entries(report.peer)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ')
    : 'not run';
  const threads = e.engineThreads === undefined ? '' : `, engine threads ${e.engineThreads}`;
  const minWarmupMs = report.options.minWarmupMs ?? 0;
  const minWarmup = minWarmupMs > 0 ? ` (at least ${minWarmupMs / 1000} s)` : '';
  const flops = report.results.some((r) => r.status === 'ok' && r.gflops !== undefined);
  const columns = flops
    ? RESULT_COLUMNS.flatMap((c) => (c === 'Images/s' ? [c, ...FLOPS_COLUMNS] : [c]))
    : RESULT_COLUMNS;
  const lines = [
    `## inv bench: ${report.suite}${report.quick ? ' (quick)' : ''}`,
    '',
    `- ${e.date}, ${e.cpuModel} × ${e.cores} cores, load ${e.loadAverage.join(' ')}, ${(e.totalMemoryBytes / 1024 ** 3).toFixed(1)} GiB, ${e.platform}`,
    `- Node ${e.node}, backends ${e.backends.join(', ')}${threads}; ${Object.entries(e.packages)
      .map(([p, v]) => `${p} ${v}`)
      .join(', ')}; commit ${git}`,
    `- ${report.options.warmup} warm-up${minWarmup}, up to ${report.options.repeats} repeats within ${report.options.maxCaseMs / 1000} s per case; peer: ${peer}`,
    ...(e.peak === undefined
      ? []
      : [
          `- SIMD multiply-add peak (${e.peak.fma ? 'fused, relaxed SIMD' : 'multiply + add'}): ` +
            `${gflops(e.peak.oneThreadGflops)} GFLOP/s on 1 thread, ${gflops(e.peak.allThreadsGflops)} on ` +
            `${e.peak.threads} threads (% of peak: of the peak at the row's thread count)`,
        ]),
    '',
    ...table(
      columns,
      report.results.map((r) => resultRow(r, flops)),
    ),
  ];
  if (report.comparisons.length > 0)
    lines.push('', ...table(COMPARISON_COLUMNS, report.comparisons.map(comparisonRow)));
  if (report.throughput.length > 0)
    lines.push('', ...table(THROUGHPUT_COLUMNS, report.throughput.map(throughputRow)));
  return `${lines.join('\n')}\n`;
}
