import type * as tf from '@tensorflow/tfjs-core';
import type { FloatTensorIO, KernelBackendArg } from '../adapters/kernel_backend.js';
import { Allocations } from '../engine/allocations.js';
import { processEngine } from '../engine/process_engine.js';
import type { Engine } from '../engine/types.js';

const sizeOf = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** What a kernel does to its output on the way out of the engine (the fused ops' bias and activation). */
export type Epilogue = (out: Float32Array, result: Float32Array) => void;

/**
 * Runs `compute` on the process's engine: the inputs copied into its memory (the backends' tensors live
 * outside it: cpu arrays, the wasm backend's unshared heap), the output copied out through `epilogue` (a
 * plain copy by default). The copies move 4 bytes per element each way; the convolutions that run here do
 * tens to hundreds of multiply-adds per element.
 */
export function runOnEngine(
  io: FloatTensorIO,
  backend: KernelBackendArg,
  inputs: readonly tf.TensorInfo[],
  outShape: number[],
  compute: (engine: Engine, inputs: number[], out: number) => void,
  epilogue: Epilogue = (out, result) => out.set(result),
): tf.TensorInfo {
  const engine = processEngine();
  const scope = new Allocations(engine.memory);
  try {
    const addresses = inputs.map((t) => {
      const length = sizeOf(t.shape);
      const address = scope.floats(length);
      engine.memory.f32(address, length).set(io.read(backend, t));
      return address;
    });
    const outLength = sizeOf(outShape);
    const out = scope.floats(outLength);
    compute(engine, addresses, out);
    return io.write(backend, outShape, (values) => epilogue(values, engine.memory.f32(out, outLength)));
  } finally {
    scope.free();
  }
}

/** The activations the fused kernels apply on the way out; others go to the stock kernel. */
export const ENGINE_ACTIVATIONS: readonly string[] = ['linear', 'relu'];

/**
 * out = activation(result + bias), bias one value per last-axis element (`bias` undefined: none). One pass,
 * fused with the copy out of the engine.
 */
export function biasActivation(bias: Float32Array | undefined, activation: string | undefined): Epilogue {
  const relu = activation === 'relu';
  if (bias === undefined && !relu) return (out, result) => out.set(result);
  const width = bias?.length ?? 1;
  return (out, result) => {
    for (let row = 0; row < result.length; row += width) {
      for (let c = 0; c < width; c++) {
        const v = result[row + c]! + (bias === undefined ? 0 : bias[c]!);
        out[row + c] = relu && v < 0 ? 0 : v;
      }
    }
  };
}
