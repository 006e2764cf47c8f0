/**
 * The three involution kernels as backend-neutral descriptions over typed arrays: which inputs they read,
 * their geometry and output shape, and the math. The cpu and wasm backends only move data in and out.
 */
import type { NamedAttrMap, NamedTensorInfoMap } from '@tensorflow/tfjs-core';
import { involutionGeometry, type InvolutionGeometry } from '../../op/geometry.js';
import {
  Involution2D,
  Involution2DBackpropInput,
  Involution2DBackpropKernel,
  type Involution2DAttrs,
  type Involution2DBackpropInputAttrs,
} from '../../op/kernel_names.js';
import { involutionBackpropInputTyped } from './involution_backprop_input.js';
import { involutionBackpropKernelTyped } from './involution_backprop_kernel.js';
import { involutionForwardTyped } from './involution_forward.js';
import { forwardPaddingTaps, kernelGradientPaddingTaps } from './padding_taps.js';

export interface TypedInvolutionKernel {
  kernelName: string;
  /** The two float32 inputs, in the order `compute` takes them. */
  inputNames: readonly [string, string];
  geometry: (inputs: NamedTensorInfoMap, attrs: NamedAttrMap) => InvolutionGeometry;
  outputShape: (g: InvolutionGeometry) => number[];
  /** Writes every element of `out`. */
  compute: (a: Float32Array, b: Float32Array, g: InvolutionGeometry, out: Float32Array) => void;
  /**
   * Run after `compute` or the SIMD module (which both skip out-of-image taps): adds what those taps give,
   * NaN where a factor is NaN or ±Inf (see padding_taps.ts).
   */
  paddingTaps: (a: Float32Array, b: Float32Array, g: InvolutionGeometry, out: Float32Array) => void;
}

const fromX = (inputs: NamedTensorInfoMap, attrs: NamedAttrMap): InvolutionGeometry =>
  involutionGeometry(inputs['x']!.shape, attrs as unknown as Involution2DAttrs);

export const typedInvolution2D: TypedInvolutionKernel = {
  kernelName: Involution2D,
  inputNames: ['x', 'kernel'],
  geometry: fromX,
  outputShape: (g) => [g.batch, g.outHeight, g.outWidth, g.channels],
  compute: involutionForwardTyped,
  paddingTaps: forwardPaddingTaps,
};

export const typedInvolution2DBackpropInput: TypedInvolutionKernel = {
  kernelName: Involution2DBackpropInput,
  inputNames: ['dy', 'kernel'],
  geometry: (_inputs, attrs) => {
    const a = attrs as unknown as Involution2DBackpropInputAttrs;
    return involutionGeometry(a.inputShape, a);
  },
  outputShape: (g) => [g.batch, g.inHeight, g.inWidth, g.channels],
  compute: involutionBackpropInputTyped,
  // What the taps send to padding positions is discarded.
  paddingTaps: () => undefined,
};

export const typedInvolution2DBackpropKernel: TypedInvolutionKernel = {
  kernelName: Involution2DBackpropKernel,
  inputNames: ['x', 'dy'],
  geometry: fromX,
  outputShape: (g) => [g.batch, g.outHeight, g.outWidth, g.taps, g.groups],
  compute: involutionBackpropKernelTyped,
  paddingTaps: kernelGradientPaddingTaps,
};
