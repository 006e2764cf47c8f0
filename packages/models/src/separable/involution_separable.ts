import * as tf from '@tensorflow/tfjs';
import { involution } from '@inv/core';
import type { InvolutionClassifierOptions } from '../seed/options.js';

export interface InvolutionSeparableOptions extends InvolutionClassifierOptions {
  /** Output channels of the stem and the two involution stages. Default [32, 64, 64], the seed conv model's. */
  widths?: [number, number, number];
  /** Channels per involution group. Default 16. */
  groupChannels?: number;
}

/**
 * The seed conv model with its second and third 3×3 convs split as in a depthwise-separable network: an
 * involution (K 3, the spatial part, its kernel generated per pixel) followed by a 1×1 conv + ReLU (the
 * channel mixing). Like RedNet, it keeps a conv stem (the seed's first 3×3 conv): on three raw RGB channels
 * an involution layer learns far more slowly. Max-pools after the stem and the first stage, Dense 64 + ReLU,
 * Dense 10 logits.
 *
 * At the default widths: 274,320 parameters, fewer than the seed conv model's 319,178 (most of both sit in
 * the Dense 64 over the 8×8×64 features), and about a quarter of its multiply-adds. No BN outside the kernel
 * generators, so a training step stays cheap on the CPU backends.
 */
export function involutionSeparableModel(options: InvolutionSeparableOptions = {}): tf.LayersModel {
  const {
    inputShape = [32, 32, 3],
    numClasses = 10,
    seed = 0,
    generator,
    widths = [32, 64, 64],
    groupChannels = 16,
  } = options;
  let layerIndex = 0;
  const nextSeed = () => seed * 1000 + ++layerIndex;
  const glorot = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }) });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  const input = tf.input({ shape: inputShape });
  const [stemWidth, ...stageWidths] = widths;
  let x = apply(
    tf.layers.conv2d({
      name: 'stem',
      filters: stemWidth,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      ...glorot(),
    }),
    input,
  );
  stageWidths.forEach((width, stage) => {
    x = apply(tf.layers.maxPooling2d({ poolSize: 2 }), x);
    x = apply(
      involution({
        name: `inv_${stage + 1}`,
        kernelSize: 3,
        groupChannels: Math.min(groupChannels, x.shape[3]!),
        reductionRatio: 2,
        generator,
        seed: nextSeed(),
      }),
      x,
    );
    x = apply(
      tf.layers.conv2d({
        name: `mix_${stage + 1}`,
        filters: width,
        kernelSize: 1,
        activation: 'relu',
        ...glorot(),
      }),
      x,
    );
  });
  x = apply(tf.layers.flatten(), x);
  x = apply(tf.layers.dense({ units: 64, activation: 'relu', ...glorot() }), x);
  const logits = apply(tf.layers.dense({ units: numClasses, ...glorot() }), x);
  return tf.model({ name: 'involution_separable', inputs: input, outputs: logits });
}
