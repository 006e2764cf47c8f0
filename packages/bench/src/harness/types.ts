import type * as tf from '@tensorflow/tfjs-core';

/**
 * What one timed repeat does: inference only; the forward pass plus the input gradients; a whole optimiser
 * step (forward, loss, backward, update); loading a dataset; one epoch of batches; one kernel alone (the kernels
 * suite: a convolution's input or filter gradient, a matrix product).
 */
export type BenchMode =
  | 'forward'
  | 'forward+backward'
  | 'train-step'
  | 'inference'
  | 'load'
  | 'epoch'
  | 'input-grad'
  | 'filter-grad'
  | 'gemm';

/** Identifies a row of results: which workload, computed how, in which mode, where. */
export interface CaseKey {
  suite: string;
  /** The workload's name, e.g. `seed` or `rednet`. */
  case: string;
  /** The workload's shapes, human-readable (the same for every impl of a case). */
  shape: string;
  /** The implementation: `fused`, `composite`, `conv2d`, `pytorch-unfold`, ... */
  impl: string;
  mode: BenchMode;
  /** The tfjs backend, or the peer's runtime. */
  backend: string;
}

/** Timings of the measured repeats (warm-up excluded), in milliseconds. */
export interface TimingStats {
  warmup: number;
  repeats: number;
  samplesMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
}

export interface MemoryStats {
  /**
   * Peak bytes held by tfjs tensors during one repeat, above what was held before it (inputs excluded), from
   * the engine's own tracking (`tf.profile`). Scratch memory inside a kernel is invisible to it. `null` for
   * the peer.
   */
  peakTensorBytes: number | null;
  /** Largest process RSS sampled after each repeat: process-wide, so an upper bound (the wasm heap never shrinks). */
  peakRssBytes: number;
}

/** One row: measured, or the reason it could not be (backend missing, kernel missing, peer unavailable). */
export type CaseResult = CaseKey &
  (
    | {
        status: 'ok';
        timing: TimingStats;
        memory: MemoryStats;
        /** Images one repeat processes ÷ its median time, where a case counts images. */
        imagesPerSecond?: number;
        /** Floating-point operations one repeat does ÷ its median time, in 10⁹/s, where a case counts them. */
        gflops?: number;
        /** `gflops` as a percentage of the machine's measured peak at the same thread count. */
        percentOfPeak?: number;
        note?: string;
      }
    | { status: 'unavailable'; reason: string }
  );

/** A case ready to run on the active backend: inputs allocated, nothing timed yet. */
export interface PreparedCase {
  /** One repeat; returns every output so the harness can wait for and dispose them. */
  run(): tf.Tensor[] | Promise<tf.Tensor[]>;
  /** Images one repeat processes (a batch, an epoch): the row then reports images/s. */
  imagesPerRun?: number;
  /** Floating-point operations one repeat does (2 per multiply-add): the row then reports GFLOP/s. */
  flopsPerRun?: number;
  /** The machine's peak GFLOP/s at the thread count the case runs on: the row then reports its % of peak. */
  peakGflops?: number;
  /** Anything the row should say about how it ran (e.g. a fallback that was used). */
  note?: string;
  /** Frees the inputs. */
  dispose(): void;
}

/** A benchmark case: its key (less the backend, which the runner supplies) and how to set it up. */
export interface BenchCase extends Omit<CaseKey, 'backend' | 'suite'> {
  /** The only backends the case means something on (webgpu's float16 storage); default: every one. */
  backends?: readonly string[];
  /** Untimed set-up; a failure (missing kernel, missing data) becomes an "unavailable" row with the reason. */
  prepare(backend: string): PreparedCase | Promise<PreparedCase>;
}
