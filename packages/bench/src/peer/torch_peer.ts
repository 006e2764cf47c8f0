/**
 * Runs the PyTorch peer (tools/peer/involution_torch.py) on the suite's shapes and turns its raw samples into
 * result rows. Without a Python that imports torch the rows say "peer unavailable: why" and the bench goes on.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MeasureOptions } from '../harness/measure.js';
import { summarize } from '../harness/stats.js';
import type { BenchMode, CaseResult } from '../harness/types.js';
import { describeShape, type InvolutionShape } from '../suites/op_shapes.js';

const execFileAsync = promisify(execFile);

export const PEER_IMPL = 'pytorch-unfold';
export const PEER_BACKEND = 'pytorch-cpu';

// src/peer and dist/peer are both four levels below the workspace root.
const DEFAULT_SCRIPT = fileURLToPath(new URL('../../../../tools/peer/involution_torch.py', import.meta.url));

export interface TorchPeerOptions extends Pick<MeasureOptions, 'warmup' | 'repeats'> {
  modes: readonly BenchMode[];
  /** Torch's intra-op threads; 2 by default, the figure the targets are stated at. */
  threads?: number;
  /**
   * Interpreters to try, first that imports torch wins. Default: `$INV_PEER_PYTHON`, `python3` on PATH, then
   * `/usr/bin/python3` (a pyenv `python3` often lacks torch while Debian's python3-torch is there).
   */
  interpreters?: readonly string[];
  script?: string;
  timeoutMs?: number;
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

function defaultInterpreters(): string[] {
  const fromEnv = process.env['INV_PEER_PYTHON'];
  return [...new Set([...(fromEnv ? [fromEnv] : []), 'python3', '/usr/bin/python3'])];
}

function failure(error: unknown): string {
  const e = error as { code?: unknown; stderr?: unknown; message?: unknown };
  if (e.code === 'ENOENT') return 'not found';
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim().split('\n').pop() : undefined;
  return stderr || String(e.message ?? error).split('\n')[0]!;
}

/** The first interpreter that imports torch, or why none did (each candidate with its error). */
export async function findTorchInterpreter(
  candidates: readonly string[] = defaultInterpreters(),
): Promise<{ python: string; torch: string } | { reason: string }> {
  const tried: string[] = [];
  for (const python of candidates) {
    try {
      const { stdout } = await execFileAsync(python, ['-c', 'import torch; print(torch.__version__)'], {
        timeout: 60_000,
      });
      return { python, torch: stdout.trim() };
    } catch (error) {
      tried.push(`${python}: ${failure(error)}`);
    }
  }
  return { reason: `no Python with torch (tried ${tried.join('; ')})` };
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

function keyOf(suite: string, shape: InvolutionShape, mode: BenchMode) {
  return {
    suite,
    case: shape.name,
    shape: describeShape(shape),
    impl: PEER_IMPL,
    mode,
    backend: PEER_BACKEND,
  };
}

export async function runTorchPeer(
  suite: string,
  shapes: readonly InvolutionShape[],
  options: TorchPeerOptions,
): Promise<PeerRun> {
  const unavailable = (reason: string): PeerRun => ({
    environment: null,
    results: shapes.flatMap((shape) =>
      options.modes.map((mode) => ({
        ...keyOf(suite, shape, mode),
        status: 'unavailable' as const,
        reason: `peer unavailable: ${reason}`,
      })),
    ),
  });
  const found = await findTorchInterpreter(options.interpreters ?? defaultInterpreters());
  if ('reason' in found) return unavailable(found.reason);
  const threads = options.threads ?? 2;
  const args = [
    options.script ?? DEFAULT_SCRIPT,
    ...shapes.flatMap((s) => [
      '--case',
      [s.name, s.batch, s.height, s.width, s.channels, s.kernelSize, s.groups].join(','),
    ]),
    ...['--warmup', String(options.warmup), '--repeats', String(Math.max(1, options.repeats))],
    ...['--threads', String(threads), '--modes', options.modes.join(',')],
  ];
  let output: PeerOutput;
  try {
    const { stdout } = await execFileAsync(found.python, args, {
      timeout: options.timeoutMs ?? 600_000,
      maxBuffer: 64 << 20,
    });
    output = parsePeerOutput(stdout);
  } catch (error) {
    return unavailable(`${found.python} ${args[0]} failed: ${failure(error)}`);
  }
  const results = output.results.flatMap((r): CaseResult[] => {
    const shape = shapes.find((s) => s.name === r.case);
    if (shape === undefined) return [];
    return [
      {
        ...keyOf(suite, shape, r.mode),
        status: 'ok',
        timing: {
          warmup: options.warmup,
          repeats: r.samplesMs.length,
          samplesMs: r.samplesMs,
          ...summarize(r.samplesMs),
        },
        memory: { peakTensorBytes: null, peakRssBytes: r.peakRssBytes },
        note: `torch ${found.torch}, ${threads} threads (${found.python})`,
      },
    ];
  });
  return { environment: { python: found.python, ...output.environment }, results };
}
