import type * as tf from '@tensorflow/tfjs-core';
import type { FloatTensorIO, KernelBackendArg } from '../adapters/kernel_backend.js';
import { Allocations } from '../engine/allocations.js';
import { engineThreads, processEngine } from '../engine/process_engine.js';
import { relu } from '../engine/elementwise.js';
import type { Engine } from '../engine/types.js';

const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** A backend's float32 tensors for the engine kernels, and where it has one, an engine working on them in place. */
export interface EngineIO extends FloatTensorIO {
  /**
   * An engine on the memory the backend's tensors live in (threaded where that memory is shared, else one
   * thread), and each tensor's byte address there.
   */
  inPlace?(backend: KernelBackendArg): { engine: Engine; address(t: tf.TensorInfo): number } | undefined;
}

/**
 * Below this many flops per byte of inputs and output, a kernel runs in place on one thread rather than
 * copied to the threaded engine and back: copies move about 7 GB/s into and out of the engine's shared memory
 * here, a thread multiply-adds at about 40 GFLOP/s, so a second thread saves more than the copies cost only
 * above 40 / 7 / (1 − ½) ≈ 11 flops per byte (a 1×1 conv of 1 → 9 channels does 0.45; a 3×3 of 32 → 64, 140).
 */
const IN_PLACE_BELOW_FLOPS_PER_BYTE = 12;

/** How many kernels ran in place and on copies (the tests check both paths are taken). */
export const engineRuns = { inPlace: 0, copied: 0 };

/**
 * Runs `compute` (about `flops` floating-point operations) on an engine and returns its output. In place on
 * the backend's memory where the backend has an engine there (wasm) and either it runs every thread (a
 * shared heap) or the kernel does too little per byte for threads to pay for copies; otherwise on the
 * process's threaded engine, the inputs copied into its memory and the output out (cpu arrays, an unshared
 * wasm heap). All paths give the same bits.
 */
export function runOnEngine(
  io: EngineIO,
  backend: KernelBackendArg,
  inputs: readonly tf.TensorInfo[],
  outShape: number[],
  flops: number,
  compute: (engine: Engine, inputs: number[], out: number) => void,
): tf.TensorInfo {
  const outLength = sizeOf(outShape);
  const bytes = 4 * (outLength + inputs.reduce((n, t) => n + sizeOf(t.shape), 0));
  const heap = io.inPlace?.(backend);
  // In place whenever the heap's engine has every thread (a shared heap); else only where copies cost more.
  const here =
    heap !== undefined &&
    (heap.engine.runner.threads === engineThreads() || flops < IN_PLACE_BELOW_FLOPS_PER_BYTE * bytes)
      ? heap
      : undefined;
  if (here !== undefined) {
    engineRuns.inPlace++;
    const out = io.write(backend, outShape, () => undefined);
    compute(here.engine, inputs.map(here.address), here.address(out));
    return out;
  }
  engineRuns.copied++;
  const engine = processEngine();
  const scope = new Allocations(engine.memory);
  try {
    const addresses = inputs.map((t) => {
      const length = sizeOf(t.shape);
      const address = scope.floats(length);
      engine.memory.f32(address, length).set(io.read(backend, t));
      return address;
    });
    const out = scope.floats(outLength);
    compute(engine, addresses, out);
    const result = engine.memory.f32(out, outLength);
    return io.write(backend, outShape, (values) => values.set(result));
  } finally {
    scope.free();
  }
}

/** The activations the fused kernels apply on the way out; others go to the stock kernel. */
export const ENGINE_ACTIVATIONS: readonly string[] = ['linear', 'relu'];

/** The fused ops' activation, in place on their output: ReLU (tfjs-wasm's Relu, bit for bit) or nothing. */
export function applyActivation(
  engine: Engine,
  out: number,
  length: number,
  activation: string | undefined,
): void {
  if (activation === 'relu') relu(engine, out, out, length);
}
