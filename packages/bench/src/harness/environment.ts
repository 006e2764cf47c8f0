import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { engineThreads } from '@inv/kernels';

/** Where and with what a report was measured: recorded with every result. */
export interface BenchEnvironment {
  date: string;
  cpuModel: string;
  cores: number;
  /** 1, 5 and 15 minute load averages at the start: a loaded machine gives slower, noisier numbers. */
  loadAverage: number[];
  totalMemoryBytes: number;
  platform: string;
  node: string;
  /** The tfjs backends that started (the runner fills this in at the end). */
  backends: string[];
  packages: Record<string, string>;
  /** Threads of @inv/kernels' engine, which runs inv's convolution and product kernels on cpu and wasm. */
  engineThreads?: number;
  /** The SIMD multiply-add peak of the engine's WebAssembly (suites that measure it: kernels). */
  peak?: PeakFlops;
  /** The workspace commit, and whether the tree had uncommitted changes. */
  git: { commit: string; dirty: boolean } | null;
}

/** GFLOP/s of independent SIMD multiply-add chains (the engine's `peak` probe) on one thread and on all. */
export interface PeakFlops {
  /** Whether the probe ran fused multiply-adds (relaxed SIMD) or a multiply and an add. */
  fma: boolean;
  oneThreadGflops: number;
  threads: number;
  allThreadsGflops: number;
}

const require = createRequire(import.meta.url);

function gitState(): BenchEnvironment['git'] {
  try {
    const run = (args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { commit: run(['rev-parse', 'HEAD']), dirty: run(['status', '--porcelain']).length > 0 };
  } catch {
    return null; // not a git checkout (an installed package): nothing to record
  }
}

/** The machine and software now; `backends` is left to the runner, which knows which ones started. */
export function captureEnvironment(): Omit<BenchEnvironment, 'backends'> {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    totalMemoryBytes: os.totalmem(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    engineThreads: engineThreads(),
    packages: {
      '@inv/bench': (require('@inv/bench/package.json') as { version: string }).version,
      '@inv/core': (require('@inv/core/package.json') as { version: string }).version,
      '@tensorflow/tfjs-core': tf.version_core,
    },
    git: gitState(),
  };
}
