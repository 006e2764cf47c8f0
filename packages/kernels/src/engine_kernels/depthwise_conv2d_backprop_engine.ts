import * as tf from '@tensorflow/tfjs-core';
import type { FloatTensorIO, KernelBackendArg } from '../adapters/kernel_backend.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput, depthwiseOnEngine } from '../engine/depthwise.js';
import { convTapTable } from '../typed_array/conv2d_taps.js';
import type { Conv2DInfo } from '../typed_array/conv2d_info.js';
import {
  depthwiseBackpropFilterTyped,
  depthwiseBackpropInputTyped,
} from '../typed_array/depthwise_conv2d_backprop.js';
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

/** DepthwiseConv2dNativeBackpropInput on the engine (tfjs-wasm lacks it; Keras' DepthwiseConv2D needs it). */
export function depthwiseConv2dBackpropInputEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const a = attrs as unknown as DepthwiseAttrs & { inputShape: number[] };
      const info = depthwiseInfo(a.inputShape, filter.shape, a);
      if (!depthwiseOnEngine(info.inChannels, info.outChannels)) {
        return onTypedLoops(io, backend, [dy, filter], a.inputShape, (d, w) =>
          depthwiseBackpropInputTyped(d, w, info, convTapTable(info)),
        );
      }
      const g = engineGeometry(info);
      return runOnEngine(
        io,
        backend,
        [dy, filter],
        [...a.inputShape],
        depthwiseFlops(info),
        (e, [d, w], dx) => depthwiseBackpropInput(e, g, d!, w!, dx),
      );
    },
  };
}

/** DepthwiseConv2dNativeBackpropFilter on the engine: fixed chunks of rows, partial sums added in order. */
export function depthwiseConv2dBackpropFilterEngineConfig(
  backendName: string,
  io: EngineIO,
): tf.KernelConfig {
  return {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const a = attrs as unknown as DepthwiseAttrs & { filterShape: number[] };
      const info = depthwiseInfo(x.shape, a.filterShape, a);
      if (!depthwiseOnEngine(info.inChannels, info.outChannels)) {
        return onTypedLoops(io, backend, [x, dy], a.filterShape, (xs, d) =>
          depthwiseBackpropFilterTyped(xs, d, info, convTapTable(info)),
        );
      }
      const g = engineGeometry(info);
      return runOnEngine(io, backend, [x, dy], [...a.filterShape], depthwiseFlops(info), (e, [xa, d], dw) =>
        depthwiseBackpropFilter(e, g, xa!, d!, dw),
      );
    },
  };
}
