import type { NamedAttrMap, NamedTensorInfoMap } from '@tensorflow/tfjs-core';

/**
 * A kernel over float32 typed arrays with any number of inputs and outputs, described once and run by the cpu
 * and wasm adapters (`floatKernelCpuConfig`, `floatKernelWasmConfig`), which only move data in and out.
 */
export interface FloatKernel {
  kernelName: string;
  /** The float32 inputs `compute` reads, by name. */
  inputNames: readonly string[];
  outputShapes: (inputs: NamedTensorInfoMap) => number[][];
  /** Writes every element of every output. */
  compute: (inputs: Record<string, Float32Array>, outputs: Float32Array[], attrs: NamedAttrMap) => void;
}
