import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormalization, involution } from '@inv/core';
import type { InvolutionClassifierOptions } from '../seed/options.js';

/** What mixes space in each block: an involution, a depthwise 3×3 conv, or (ResNet's) a full K×K conv. */
export type SpatialMixer = 'involution' | 'depthwise' | 'conv';

export interface ResInvOptions extends InvolutionClassifierOptions {
  /** Channels of each stage; the stem has the first stage's. Default [48, 96, 192]. */
  widths?: number[];
  /** Residual blocks per stage. Default [2, 2, 2]. */
  blocks?: number[];
  /** A 2×2 max-pool after the stem, so three stages run at 16, 8 and 4 pixels. Default true. */
  stemPool?: boolean;
  /** Default 'involution'; 'depthwise' and 'conv' are the ablation's baselines on the same backbone. */
  mixer?: SpatialMixer;
  /** Spatial kernel size of every mixer. Default 3. */
  kernelSize?: number;
  /** Channels per involution group. Default 16. */
  groupChannels?: number;
  /** Kernel generator bottleneck ratio of the involutions. Default 4. */
  reductionRatio?: number;
}

/**
 * A residual involution network for small images: the CIFAR ResNet's layout (He et al. 2016: stages of basic
 * blocks of two spatial layers, the width doubling as the resolution halves, global average pooling) in which
 * every spatial layer after the 3×3 conv stem is an involution followed by a 1×1 conv, the channel mixing
 * that involution (channel-agnostic) lacks: the depthwise-separable split with the depthwise part generated
 * per pixel. A block: mix → 1×1 → BN → ReLU → mix → 1×1 → BN, added to its input (a 1×1 stride-2 conv + BN
 * where the shape changes), then ReLU. A stage's first block strides in its first mixer, as RedNet does.
 *
 * The defaults (`resinv` in the registry, 267,757 parameters) pool after the stem: ResNet-20's own layout
 * (widths [32, 64, 128], 3 blocks a stage at 32, 16 and 8 pixels) trained at 84 images/s against these
 * defaults' 262 (wasm, 2 threads, batch 128, same run), too slow for 40 epochs in 2 hours on 2 cores. `mixer: 'depthwise'` swaps the involutions for
 * depthwise K×K convs (the same 1×1s); `mixer: 'conv'` is ResNet's own basic block (K×K convs, no 1×1).
 */
export function resInvNet(options: ResInvOptions = {}): tf.LayersModel {
  const {
    widths = [48, 96, 192],
    blocks = [2, 2, 2],
    stemPool = true,
    mixer = 'involution',
    kernelSize = 3,
    groupChannels = 16,
    reductionRatio = 4,
    generator,
    inputShape = [32, 32, 3],
    numClasses = 10,
    seed = 0,
  } = options;
  if (widths.length === 0 || widths.length !== blocks.length) {
    throw new Error(
      `resInvNet: widths and blocks must be non-empty lists of the same length (one entry per stage), got widths [${widths.join(', ')}] and blocks [${blocks.join(', ')}]`,
    );
  }
  if (generator !== undefined && mixer !== 'involution') {
    throw new Error(`resInvNet: a generator applies to mixer 'involution' only, got mixer '${mixer}'`);
  }
  let layerIndex = 0;
  const nextSeed = () => seed * 1000 + ++layerIndex;
  const he = () => ({ useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: nextSeed() }) });
  const apply = (layer: tf.layers.Layer, x: tf.SymbolicTensor) => layer.apply(x) as tf.SymbolicTensor;
  // Layers are named by place (`s2b1_inv1`: stage 2, block 1, first involution) for `inv summary` and heatmaps.
  const bn = (name: string, x: tf.SymbolicTensor, activation?: 'relu') =>
    apply(fusedBatchNormalization({ name, ...(activation && { activation }) }), x);
  const conv = (name: string, x: tf.SymbolicTensor, filters: number, size: number, strides = 1) =>
    apply(tf.layers.conv2d({ name, filters, kernelSize: size, strides, padding: 'same', ...he() }), x);

  /** Spatial layer `name`: channels `x` → `filters`, striding `stride`, before its BN. */
  const spatial = (
    name: string,
    x: tf.SymbolicTensor,
    filters: number,
    stride: number,
  ): tf.SymbolicTensor => {
    if (mixer === 'conv') return conv(`${name}_conv`, x, filters, kernelSize, stride);
    const channels = x.shape[3]!;
    const mixed =
      mixer === 'depthwise'
        ? apply(
            tf.layers.depthwiseConv2d({
              name: `${name}_dw`,
              kernelSize,
              strides: stride,
              padding: 'same',
              useBias: false,
              depthwiseInitializer: tf.initializers.heNormal({ seed: nextSeed() }),
            }),
            x,
          )
        : apply(
            involution({
              name: `${name}_inv`,
              kernelSize,
              stride,
              groupChannels: Math.min(groupChannels, channels),
              reductionRatio,
              generator: generator ?? { name: 'reduce-expand', config: { init: 'static' } },
              seed: nextSeed(),
            }),
            x,
          );
    return conv(`${name}_pw`, mixed, filters, 1);
  };

  const block = (name: string, x: tf.SymbolicTensor, filters: number, stride: number): tf.SymbolicTensor => {
    const first = bn(`${name}_bn1`, spatial(`${name}_1`, x, filters, stride), 'relu');
    const y = bn(`${name}_bn2`, spatial(`${name}_2`, first, filters, 1));
    const shortcut =
      stride === 1 && x.shape[3] === filters
        ? x
        : bn(`${name}_shortcut_bn`, conv(`${name}_shortcut`, x, filters, 1, stride));
    const sum = apply(tf.layers.add({ name: `${name}_add` }), [shortcut, y] as unknown as tf.SymbolicTensor);
    return apply(tf.layers.reLU({ name: `${name}_relu` }), sum);
  };

  const input = tf.input({ shape: inputShape });
  let x = bn('stem_bn', conv('stem', input, widths[0]!, 3), 'relu');
  if (stemPool) x = apply(tf.layers.maxPooling2d({ name: 'stem_pool', poolSize: 2 }), x);
  widths.forEach((width, stage) => {
    for (let b = 0; b < blocks[stage]!; b++)
      x = block(`s${stage + 1}b${b + 1}`, x, width, b === 0 && stage > 0 ? 2 : 1);
  });
  x = apply(tf.layers.globalAveragePooling2d({ name: 'pool' }), x);
  const logits = apply(
    tf.layers.dense({
      name: 'head',
      units: numClasses,
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
    }),
    x,
  );
  return tf.model({ name: `resinv_${mixer}`, inputs: input, outputs: logits });
}
