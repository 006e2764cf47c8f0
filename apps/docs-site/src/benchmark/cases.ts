import * as tf from '@tensorflow/tfjs';
import { involution2d, involution2dComposite, type Involution2DOptions } from '@inv/core';

/** One benchmark shape: an NHWC input and the involution (and same-size convolution) applied to it. */
export interface BenchShape {
  readonly batch: number;
  readonly size: number;
  readonly channels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly groups: number;
}

/** The seed's first layer, a RedNet stage-1 layer (C/G = 16, the paper's), and a wider batched one. */
export const BENCH_SHAPES: readonly BenchShape[] = [
  { batch: 1, size: 32, channels: 16, kernelSize: 3, stride: 1, groups: 1 },
  { batch: 1, size: 56, channels: 64, kernelSize: 7, stride: 1, groups: 4 },
  { batch: 8, size: 28, channels: 128, kernelSize: 7, stride: 1, groups: 8 },
];

export function shapeLabel({ batch, size, channels, kernelSize, stride, groups }: BenchShape): string {
  return `[${batch},${size},${size},${channels}] K=${kernelSize} s=${stride} G=${groups}`;
}

/** The input, a generated involution kernel and a dense K×K convolution filter, all random. */
export interface BenchInputs {
  readonly x: tf.Tensor4D;
  readonly kernel: tf.Tensor5D;
  readonly filter: tf.Tensor4D;
}

export function benchInputs(shape: BenchShape): BenchInputs {
  const { batch, size, channels, kernelSize: k, stride, groups } = shape;
  const out = Math.ceil(size / stride);
  return {
    x: tf.randomNormal([batch, size, size, channels], 0, 1, 'float32', 1),
    kernel: tf.randomNormal([batch, out, out, k * k, groups], 0, 1, 'float32', 2),
    filter: tf.randomNormal([k, k, channels, channels], 0, 1, 'float32', 3),
  };
}

function involutionOptions({ kernelSize, stride, groups }: BenchShape): Involution2DOptions {
  return { kernelSize, stride, groups, padding: 'same' };
}

/** The contenders: the registered kernel (fused on cpu, wasm and webgpu), its stock-op composite, and conv2d. */
export const BENCH_OPS: readonly {
  name: string;
  run: (inputs: BenchInputs, shape: BenchShape) => tf.Tensor;
}[] = [
  { name: 'involution2d', run: ({ x, kernel }, shape) => involution2d(x, kernel, involutionOptions(shape)) },
  {
    name: 'involution2dComposite',
    run: ({ x, kernel }, shape) => involution2dComposite(x, kernel, involutionOptions(shape)),
  },
  { name: 'tf.conv2d', run: ({ x, filter }, shape) => tf.conv2d(x, filter, shape.stride, 'same') },
];
