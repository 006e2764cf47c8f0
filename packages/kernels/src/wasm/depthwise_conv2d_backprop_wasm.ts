import * as tf from '@tensorflow/tfjs-core';
import { heapTensor } from '../adapters/wasm.js';
import { convTapTable } from '../typed_array/conv2d_taps.js';
import {
  depthwiseBackpropFilterTyped,
  depthwiseBackpropInputTyped,
} from '../typed_array/depthwise_conv2d_backprop.js';

type DepthwiseAttrs = {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: tf.DepthwiseConv2dNativeAttrs['pad'];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

function depthwiseInfo(
  xShape: number[],
  filterShape: number[],
  a: DepthwiseAttrs,
): tf.backend_util.Conv2DInfo {
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

/** DepthwiseConv2dNativeBackpropInput on `wasm`, which tfjs lacks (Keras' DepthwiseConv2D and the `context` generator need it). */
export const depthwiseConv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const a = attrs as unknown as DepthwiseAttrs & { inputShape: number[] };
    const info = depthwiseInfo(a.inputShape, filter.shape, a);
    return heapTensor(backend, a.inputShape, [dy, filter], (out, dys, w) =>
      out.set(depthwiseBackpropInputTyped(dys!, w!, info, convTapTable(info))),
    );
  },
};

/** DepthwiseConv2dNativeBackpropFilter on `wasm`, which tfjs lacks. */
export const depthwiseConv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const a = attrs as unknown as DepthwiseAttrs & { filterShape: number[] };
    const info = depthwiseInfo(x.shape, a.filterShape, a);
    return heapTensor(backend, a.filterShape, [x, dy], (out, xs, dys) =>
      out.set(depthwiseBackpropFilterTyped(xs!, dys!, info, convTapTable(info))),
    );
  },
};
