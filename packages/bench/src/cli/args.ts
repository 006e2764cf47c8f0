import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '@inv/core';

export interface CliOptions {
  suite: string;
  /** `--backend`, or undefined for the suite's defaults. */
  backends?: BackendName[];
  /** The CIFAR-10 folder for the data suite (`--data-dir`). */
  dataDir?: string;
  json?: string;
  md?: string;
  quick: boolean;
  warmup: number;
  minWarmupMs: number;
  repeats: number;
  maxCaseMs: number;
  peer: boolean;
  filter?: string;
  help: boolean;
}

export const USAGE = `inv-bench --suite op [options]
  --suite NAME            suite to run: op, layer, train, data, batchnorm, kernels
  --backend LIST          comma-separated tfjs backends; one that cannot start is a row. Default: the suite's
                          (op, layer: cpu,wasm + webgpu on a real GPU only; train: cpu,wasm; data: cpu; kernels: wasm);
                          naming webgpu runs it on a software adapter too
  --data-dir DIR          CIFAR-10 cifar-10-batches-bin for the data suite (default $INV_CIFAR10_DIR, else
                          ../shared/datasets/cifar10/cifar-10-batches-bin from the workspace root)
  --json FILE             write the report as JSON
  --md FILE               write the report as Markdown (it is always printed)
  --quick                 smoke run: batch / 8 (data: 10,000 images), 1 warm-up, 3 repeats, 5 s per case
  --warmup N              untimed runs first, >= 1: the first one measures memory (default 2)
  --min-warmup-seconds S  warm-up goes on until S seconds have passed, within the case budget, so that JIT
                          compiles are done (default 1; quick 0); the peer warms up alike
  --repeats N             timed repeats (default 10)
  --max-case-seconds S    each case's budget, warm-up and repeats together, checked between runs (default 10):
                          a case past it stops and reports what it measured, with n and a note
  --no-peer               skip the PyTorch peer
  --filter TEXT           only cases whose case/impl/mode contains TEXT, e.g. rednet/fused
  --help`;

function count(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min)
    throw new Error(`--${name}: expected a number >= ${min}, got '${text}'`);
  return value;
}

function parseBackends(text: string): BackendName[] {
  const backends = text
    .split(',')
    .map((b) => b.trim())
    .filter((b) => b.length > 0);
  const unknown = backends.filter((b) => !(BACKEND_NAMES as readonly string[]).includes(b));
  if (unknown.length > 0 || backends.length === 0) {
    throw new Error(
      `--backend: unknown ${JSON.stringify(unknown)}; expected a comma-separated list of ${BACKEND_NAMES.join(', ')}`,
    );
  }
  return backends as BackendName[];
}

/**
 * Parses the CLI's arguments. Relative file paths are resolved against the workspace root under Nx
 * (`NX_WORKSPACE_ROOT`), else the directory pnpm was started in (`INIT_CWD`), else the current directory: a
 * package script runs in the package's directory, which is never where the user meant.
 */
export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      suite: { type: 'string', default: 'op' },
      backend: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'string' },
      md: { type: 'string' },
      quick: { type: 'boolean', default: false },
      warmup: { type: 'string' },
      'min-warmup-seconds': { type: 'string' },
      repeats: { type: 'string' },
      'max-case-seconds': { type: 'string' },
      'no-peer': { type: 'boolean', default: false },
      filter: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const backends = values.backend === undefined ? undefined : parseBackends(values.backend);
  const base = env['NX_WORKSPACE_ROOT'] ?? env['INIT_CWD'] ?? process.cwd();
  const quick = values.quick;
  return {
    suite: values.suite,
    ...(backends === undefined ? {} : { backends }),
    ...(values['data-dir'] === undefined ? {} : { dataDir: resolve(base, values['data-dir']) }),
    ...(values.json === undefined ? {} : { json: resolve(base, values.json) }),
    ...(values.md === undefined ? {} : { md: resolve(base, values.md) }),
    quick,
    warmup: count('warmup', values.warmup, quick ? 1 : 2, 1),
    minWarmupMs: 1000 * count('min-warmup-seconds', values['min-warmup-seconds'], quick ? 0 : 1, 0),
    repeats: count('repeats', values.repeats, quick ? 3 : 10, 1),
    maxCaseMs: 1000 * count('max-case-seconds', values['max-case-seconds'], quick ? 5 : 10, 0),
    peer: !values['no-peer'],
    ...(values.filter === undefined ? {} : { filter: values.filter }),
    help: values.help,
  };
}
