import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormalization, involution } from '@inv/core';
import type { InvolutionClassifierOptions } from '../seed/options.js';

export interface InvolutionSeparableOptions extends InvolutionClassifierOptions {
  /** Filters of the 3×3 conv stem. Default 32, the seed conv model's first conv. */
  stemWidth?: number;
  /**
   * Output channels of each involution + 1×1 conv layer, one list per stage; a 2×2 max-pool runs before every
   * stage. Default [[64], [64]]: the seed conv model's second and third convs.
   */
  stages?: number[][];
  /** A 2×2 max-pool after the last stage, before the Dense head. Default false. */
  finalPool?: boolean;
  /** Involution kernel size. Default 3. */
  kernelSize?: number;
  /** Channels per involution group. Default 16. */
  groupChannels?: number;
  /** BatchNormalization between each conv and its ReLU. Default true. */
  batchNorm?: boolean;
  /**
   * Dropout rate on the flattened features, before the Dense head (which holds most of the parameters and
   * overfits first). Default 0 (none).
   */
  dropout?: number;
}

/**
 * The seed conv model with its convs after the first split as in a depthwise-separable network: an
 * involution (the spatial part, its kernel generated per pixel) followed by a 1×1 conv, BN and ReLU (the
 * channel mixing). Like RedNet, it keeps a conv stem (the seed's first 3×3 conv, + BN + ReLU): on three raw
 * RGB channels an involution layer learns far more slowly. Max-pools between stages, Dense 64 + ReLU,
 * Dense 10 logits.
 *
 * At the defaults: 274,800 parameters (274,384 trainable), fewer than the seed conv model's 319,178 (most of
 * both sit in the Dense 64 over the 8×8×64 features), and about a quarter of its multiply-adds. Without the
 * BN (`batchNorm: false`) it trains about twice as fast per step on CPU but learns markedly more slowly.
 */
export function involutionSeparableModel(options: InvolutionSeparableOptions = {}): tf.LayersModel {
  const {
    inputShape = [32, 32, 3],
    numClasses = 10,
    seed = 0,
    generator,
    stemWidth = 32,
    stages = [[64], [64]],
    finalPool = false,
    kernelSize = 3,
    groupChannels = 16,
    batchNorm = true,
    dropout = 0,
  } = options;
  if (!(dropout >= 0 && dropout < 1)) {
    throw new Error(`involutionSeparableModel: dropout must be in [0, 1), got ${dropout}`);
  }
  let layerIndex = 0;
  const nextSeed = () => seed * 1000 + ++layerIndex;
  const glorot = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }) });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  const pool = (x: tf.SymbolicTensor) => apply(tf.layers.maxPooling2d({ poolSize: 2 }), x);
  /** Conv, then ReLU, or BN + ReLU in one fused layer. */
  const convRelu = (x: tf.SymbolicTensor, name: string, filters: number, kernelSize: number) => {
    const y = apply(
      tf.layers.conv2d({ name, filters, kernelSize, padding: 'same', useBias: !batchNorm, ...glorot() }),
      x,
    );
    return apply(
      batchNorm ? fusedBatchNormalization({ name: `${name}_bn`, activation: 'relu' }) : tf.layers.reLU(),
      y,
    );
  };
  const input = tf.input({ shape: inputShape });
  let x = convRelu(input, 'stem', stemWidth, 3);
  let layer = 0;
  for (const widths of stages) {
    x = pool(x);
    for (const width of widths) {
      layer++;
      x = apply(
        involution({
          name: `inv_${layer}`,
          kernelSize,
          groupChannels: Math.min(groupChannels, x.shape[3]!),
          reductionRatio: 2,
          generator,
          seed: nextSeed(),
        }),
        x,
      );
      x = convRelu(x, `mix_${layer}`, width, 1);
    }
  }
  if (finalPool) x = pool(x);
  x = apply(tf.layers.flatten(), x);
  if (dropout > 0) x = apply(tf.layers.dropout({ rate: dropout, seed: nextSeed() }), x);
  x = apply(tf.layers.dense({ units: 64, activation: 'relu', ...glorot() }), x);
  const logits = apply(tf.layers.dense({ units: numClasses, ...glorot() }), x);
  return tf.model({ name: 'involution_separable', inputs: input, outputs: logits });
}
