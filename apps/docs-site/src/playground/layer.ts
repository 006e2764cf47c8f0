import type * as tf from '@tensorflow/tfjs';
import { Involution } from '@inv/core';

/**
 * The playground's knobs. The input is RGB, so C = 3 and G is 1 (one kernel for all channels) or 3 (one per
 * channel); either way both group layouts give the same grouping, so the layout is not a knob here.
 */
export interface PlaygroundSettings {
  readonly kernelSize: number;
  readonly stride: number;
  readonly groups: number;
  readonly generator: string;
  /** Seeds the generator's random weights: the same settings and seed give the same layer. */
  readonly seed: number;
}

export const KERNEL_SIZES = [3, 5, 7] as const;
export const STRIDES = [1, 2] as const;
export const GROUPS = [1, 3] as const;

/**
 * An Involution layer with random (seeded) weights that also returns its kernel. Reduction ratio 1: with three
 * channels the paper's r = 4 would leave the generator's bottleneck a single channel.
 */
export function playgroundLayer(settings: PlaygroundSettings): Involution {
  const { kernelSize, stride, groups, generator, seed } = settings;
  return new Involution({
    name: 'playground',
    kernelSize,
    stride,
    groups,
    generator,
    seed,
    reductionRatio: 1,
    returnKernel: true,
  });
}

/** One call: the output `[1, Ho, Wo, 3]` and the generated kernel `[1, Ho, Wo, K², G]`. */
export function applyPlayground(layer: Involution, x: tf.Tensor4D): [tf.Tensor4D, tf.Tensor5D] {
  return layer.apply(x) as [tf.Tensor4D, tf.Tensor5D];
}
