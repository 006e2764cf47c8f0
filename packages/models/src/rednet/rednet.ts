import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormalization, involution } from '@inv/core';
import type { InvolutionClassifierOptions } from '../seed/options.js';

/** Bottleneck blocks per stage for each RedNet depth (as ResNet-26/38/50: 3 layers per block + stem + head). */
export const REDNET_STAGES = { 26: [1, 2, 4, 1], 38: [2, 3, 5, 2], 50: [3, 4, 6, 3] } as const;
export type RedNetDepth = keyof typeof REDNET_STAGES;

export interface RedNetOptions extends InvolutionClassifierOptions {
  depth?: RedNetDepth;
  /** Bottleneck width of the first stage; doubles per stage, blocks output 4× it. Default 16. */
  width?: number;
  /** Involution kernel size. Default 7 (the paper's). */
  kernelSize?: number;
  /** Channels per involution group. Default 16 (the paper's). */
  groupChannels?: number;
  /** Kernel generator bottleneck ratio. Default 4. */
  reductionRatio?: number;
}

const EXPANSION = 4;

/**
 * RedNet (Li et al., CVPR 2021) for 32×32 inputs: ResNet bottlenecks whose 3×3 conv is an involution
 * (K×K, groups of `groupChannels`, stride in the involution as the paper's). CIFAR stem: one 3×3 conv and no
 * max-pool, so the four stages run at 32, 16, 8 and 4 pixels; global average pooling and a Dense head.
 */
export function rednet(options: RedNetOptions = {}): tf.LayersModel {
  const {
    depth = 26,
    width = 16,
    kernelSize = 7,
    groupChannels = 16,
    reductionRatio = 4,
    generator,
    inputShape = [32, 32, 3],
    numClasses = 10,
    seed = 0,
  } = options;
  const stages = REDNET_STAGES[depth];
  if (stages === undefined) {
    throw new Error(
      `rednet: depth must be one of ${Object.keys(REDNET_STAGES).join(', ')}, got ${String(depth)}`,
    );
  }
  let layerIndex = 0;
  const nextSeed = () => seed * 1000 + ++layerIndex;
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  const conv1x1 = (x: tf.SymbolicTensor, filters: number, strides = 1) =>
    apply(
      tf.layers.conv2d({
        filters,
        kernelSize: 1,
        strides,
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: nextSeed() }),
      }),
      x,
    );
  const bn = (x: tf.SymbolicTensor) => apply(fusedBatchNormalization(), x);
  /** BN + ReLU in one fused layer. */
  const bnRelu = (x: tf.SymbolicTensor) => apply(fusedBatchNormalization({ activation: 'relu' }), x);
  const relu = (x: tf.SymbolicTensor) => apply(tf.layers.reLU(), x);

  const bottleneck = (x: tf.SymbolicTensor, mid: number, stride: number): tf.SymbolicTensor => {
    const inChannels = x.shape[3]!;
    const out = mid * EXPANSION;
    let y = bnRelu(conv1x1(x, mid));
    y = apply(
      involution({
        kernelSize,
        stride,
        groupChannels: Math.min(groupChannels, mid),
        reductionRatio,
        generator,
        seed: nextSeed(),
      }),
      y,
    );
    y = bnRelu(y);
    y = bn(conv1x1(y, out));
    const shortcut = stride === 1 && inChannels === out ? x : bn(conv1x1(x, out, stride));
    return relu(apply(tf.layers.add(), [shortcut, y] as unknown as tf.SymbolicTensor));
  };

  const input = tf.input({ shape: inputShape });
  let x = bnRelu(
    apply(
      tf.layers.conv2d({
        filters: 2 * width,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: tf.initializers.heNormal({ seed: nextSeed() }),
      }),
      input,
    ),
  );
  stages.forEach((blocks, stage) => {
    for (let b = 0; b < blocks; b++) x = bottleneck(x, width * 2 ** stage, b === 0 && stage > 0 ? 2 : 1);
  });
  x = apply(tf.layers.globalAveragePooling2d({}), x);
  const logits = apply(
    tf.layers.dense({
      units: numClasses,
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
    }),
    x,
  );
  return tf.model({ name: `rednet${depth}`, inputs: input, outputs: logits });
}
