import * as tf from '@tensorflow/tfjs-core';
import type { FloatTensorIO, KernelBackendArg } from '../adapters/kernel_backend.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput, depthwiseOnEngine } from '../engine/depthwise.js';
import { convTapTable } from '../typed_array/conv2d_taps.js';
import type { Conv2DInfo } from '../typed_array/conv2d_info.js';
import {
  depthwiseBackpropFilterTyped,
  depthwiseBackpropInputTyped,
} from '../typed_array/depthwise_conv2d_backprop.js';
import type { Conv2dGeometry } from '../engine/conv_geometry.js';
import type { Engine } from '../engine/types.js';
import { engineGeometry } from './conv2d_geometry.js';
import { runOnEngine, type EngineIO } from './run_on_engine.js';

type DepthwiseAttrs = {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: tf.DepthwiseConv2dNativeAttrs['pad'];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

function depthwiseInfo(xShape: number[], filterShape: number[], a: DepthwiseAttrs): Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    a.strides,
    a.dilations,
    a.pad,
    a.dimRoundingMode,
    true,
  );
}

/** A multiply and an add per tap and output element. */
const depthwiseFlops = (info: Conv2DInfo): number =>
  2 *
  info.batchSize *
  info.outHeight *
  info.outWidth *
  info.outChannels *
  info.filterHeight *
  info.filterWidth;

/** Channel multipliers above 1 (rare: Keras' default is 1, inv uses none) take the JS loops on one thread. */
function onTypedLoops(
  io: FloatTensorIO,
  backend: KernelBackendArg,
  inputs: [tf.TensorInfo, tf.TensorInfo],
  outShape: number[],
  loop: (a: Float32Array, b: Float32Array) => Float32Array,
): tf.TensorInfo {
  // Computed from views of the inputs before the output exists: making it may grow the wasm heap.
  const result = loop(io.read(backend, inputs[0]), io.read(backend, inputs[1]));
  return io.write(backend, outShape, (out) => out.set(result));
}

type Gradient = (engine: Engine, g: Conv2dGeometry, a: number, b: number, out: number) => void;

/**
 * One depthwise gradient kernel: its two inputs, the output's shape (an attribute), the geometry from the
 * inputs, the engine's kernel for channel multiplier 1 and the JS loop for the others.
 */
function depthwiseGradientConfig(
  kernelName: string,
  inputNames: [string, string],
  outShapeAttr: 'inputShape' | 'filterShape',
  shapes: (inputs: [tf.TensorInfo, tf.TensorInfo], outShape: number[]) => [number[], number[]],
  onEngine: Gradient,
  typed: (a: Float32Array, b: Float32Array, info: Conv2DInfo, taps: Int32Array) => Float32Array,
): (backendName: string, io: EngineIO) => tf.KernelConfig {
  return (backendName, io) => ({
    kernelName,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const operands = inputNames.map((name) => inputs[name]!) as [tf.TensorInfo, tf.TensorInfo];
      const a = attrs as unknown as DepthwiseAttrs & Record<typeof outShapeAttr, number[]>;
      const outShape = [...a[outShapeAttr]];
      const info = depthwiseInfo(...shapes(operands, outShape), a);
      if (!depthwiseOnEngine(info.inChannels, info.outChannels)) {
        return onTypedLoops(io, backend, operands, outShape, (x, y) => typed(x, y, info, convTapTable(info)));
      }
      const g = engineGeometry(info);
      return runOnEngine(io, backend, operands, outShape, depthwiseFlops(info), (e, [x, y], out) =>
        onEngine(e, g, x!, y!, out),
      );
    },
  });
}

/** DepthwiseConv2dNativeBackpropInput on the engine (tfjs-wasm lacks it; Keras' DepthwiseConv2D needs it). */
export const depthwiseConv2dBackpropInputEngineConfig = depthwiseGradientConfig(
  tf.DepthwiseConv2dNativeBackpropInput,
  ['dy', 'filter'],
  'inputShape',
  ([, filter], inputShape) => [inputShape, filter.shape],
  depthwiseBackpropInput,
  depthwiseBackpropInputTyped,
);

/** DepthwiseConv2dNativeBackpropFilter on the engine: fixed chunks of rows, partial sums added in order. */
export const depthwiseConv2dBackpropFilterEngineConfig = depthwiseGradientConfig(
  tf.DepthwiseConv2dNativeBackpropFilter,
  ['x', 'dy'],
  'filterShape',
  ([x], filterShape) => [x.shape, filterShape],
  depthwiseBackpropFilter,
  depthwiseBackpropFilterTyped,
);
