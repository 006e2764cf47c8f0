/**
 * Runs a PyTorch peer script (tools/peer/*.py) and turns its raw samples into result rows. Every script takes
 * `--warmup N --min-warmup-ms MS --repeats N --threads N` and prints `{environment, results: [{case, mode,
 * samplesMs, peakRssBytes}]}`. Without a Python that imports torch the rows say "peer unavailable: why" and the
 * bench goes on.
 */
import type { MeasureOptions } from '../harness/measure.js';
import { summarize } from '../harness/stats.js';
import type { BenchMode, CaseResult } from '../harness/types.js';
import { defaultInterpreters, execFileAsync, failure, findTorchInterpreter } from './python.js';

/** The peer's rows run outside tfjs: this is their backend column. */
export const PEER_BACKEND = 'pytorch-cpu';

export interface TorchPeerOptions extends Pick<MeasureOptions, 'warmup' | 'minWarmupMs' | 'repeats'> {
  /** Torch's intra-op threads; 2 by default, the figure the targets are stated at. */
  threads?: number;
  /** Interpreters to try, first that imports torch wins. Default: {@link defaultInterpreters}. */
  interpreters?: readonly string[];
  /** Another script than the suite's (tests). */
  script?: string;
  timeoutMs?: number;
}

/** What a suite asks of its peer: the rows it expects, and the script with the arguments that describe them. */
export interface PeerScriptRequest {
  suite: string;
  impl: string;
  cases: readonly { name: string; shape: string }[];
  modes: readonly BenchMode[];
  script: string;
  args: readonly string[];
  /** Images per repeat, for images/s (the train suite's batch). */
  imagesPerRun?: number;
}

/** The outcome: rows always (measured or unavailable), the peer's environment when it ran. */
export interface PeerRun {
  environment: Record<string, unknown> | null;
  results: CaseResult[];
}

interface PeerOutput {
  environment: Record<string, unknown>;
  results: { case: string; mode: BenchMode; samplesMs: number[]; peakRssBytes: number }[];
}

function parsePeerOutput(stdout: string): PeerOutput {
  const parsed = JSON.parse(stdout) as Partial<PeerOutput>;
  const ok =
    Array.isArray(parsed.results) &&
    parsed.results.every(
      (r) => typeof r.case === 'string' && Array.isArray(r.samplesMs) && r.samplesMs.length > 0,
    );
  if (!ok || typeof parsed.environment !== 'object') {
    throw new Error(
      `expected {environment, results: [{case, mode, samplesMs}]}, got ${stdout.slice(0, 200)}`,
    );
  }
  return parsed as PeerOutput;
}

export async function runPeerScript(request: PeerScriptRequest, options: TorchPeerOptions): Promise<PeerRun> {
  const keyOf = (c: { name: string; shape: string }, mode: BenchMode) => ({
    suite: request.suite,
    case: c.name,
    shape: c.shape,
    impl: request.impl,
    mode,
    backend: PEER_BACKEND,
  });
  const unavailable = (reason: string): PeerRun => ({
    environment: null,
    results: request.cases.flatMap((c) =>
      request.modes.map((mode) => ({
        ...keyOf(c, mode),
        status: 'unavailable' as const,
        reason: `peer unavailable: ${reason}`,
      })),
    ),
  });
  const found = await findTorchInterpreter(options.interpreters ?? defaultInterpreters());
  if ('reason' in found) return unavailable(found.reason);
  const threads = options.threads ?? 2;
  const script = options.script ?? request.script;
  const args = [
    script,
    ...request.args,
    ...['--warmup', String(options.warmup), '--repeats', String(Math.max(1, options.repeats))],
    ...['--min-warmup-ms', String(options.minWarmupMs ?? 0)],
    ...['--threads', String(threads)],
  ];
  let output: PeerOutput;
  try {
    const { stdout } = await execFileAsync(found.python, args, {
      timeout: options.timeoutMs ?? 600_000,
      maxBuffer: 64 << 20,
    });
    output = parsePeerOutput(stdout);
  } catch (error) {
    return unavailable(`${found.python} ${script} failed: ${failure(error)}`);
  }
  const results = output.results.flatMap((r): CaseResult[] => {
    const c = request.cases.find((candidate) => candidate.name === r.case);
    if (c === undefined) return [];
    const timing = {
      warmup: options.warmup,
      repeats: r.samplesMs.length,
      samplesMs: r.samplesMs,
      ...summarize(r.samplesMs),
    };
    const { imagesPerRun } = request;
    return [
      {
        ...keyOf(c, r.mode),
        status: 'ok',
        timing,
        memory: { peakTensorBytes: null, peakRssBytes: r.peakRssBytes },
        ...(imagesPerRun === undefined ? {} : { imagesPerSecond: imagesPerRun / (timing.medianMs / 1000) }),
        note: `torch ${found.torch}, ${threads} threads (${found.python})`,
      },
    ];
  });
  return { environment: { python: found.python, ...output.environment }, results };
}
