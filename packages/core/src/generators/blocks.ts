/**
 * The pieces the built-in generators share: stride pooling, 1×1 and depthwise convolutions, Keras-style batch
 * normalisation and the paper's reduce–expand MLP. Each creates its weights through the generator context,
 * so they belong to (and are saved with) the Involution layer.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initializers } from '@tensorflow/tfjs-layers';
import { kerasBatchNorm } from '../batch_norm/keras_batch_norm.js';
import type { BatchNormActivation } from '@inv/kernels';
import type { KernelGeneratorContext, KernelGeneratorGeometry, WeightInitializer } from './types.js';

/**
 * A seed for weight `name`'s random initialiser, derived from the layer's seed (FNV-1a of the name), so every
 * weight differs and the same layer seed rebuilds the same weights; undefined when the layer is unseeded.
 */
export function weightSeed(context: Pick<KernelGeneratorContext, 'seed'>, name: string): number | undefined {
  if (context.seed === undefined) return undefined;
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return (hash + context.seed) >>> 0;
}

/** A per-pixel map with (optionally) training-dependent behaviour. */
export type Block = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;

/** Keras' BatchNormalization defaults (also tfjs-layers'). */
const BN_MOMENTUM = 0.99;
const BN_EPSILON = 1e-3;

/** The seed's `AveragePooling2D(s, s, 'same')` (padded cells excluded from the mean); identity for s = 1. */
export function strideAvgPool(x: tf.Tensor4D, stride: number): tf.Tensor4D {
  return stride > 1 ? tf.avgPool(x, stride, stride, 'same') : x;
}

/** Initialisers of a layer's kernel and bias. */
export interface LayerInitializers {
  kernel: WeightInitializer;
  bias: WeightInitializer;
}

/** Keras' Conv2D start for layer `name`: Glorot-uniform kernel (seeded per weight), zero bias. */
function kerasConvInitializers(context: KernelGeneratorContext, name: string): LayerInitializers {
  return {
    kernel: initializers.glorotUniform({ seed: weightSeed(context, `${name}/kernel`) }),
    bias: initializers.zeros(),
  };
}

/**
 * `y = W·x + b` at every pixel (a 1×1 convolution); by default Glorot-uniform W and zero b, as Keras' Conv2D.
 */
export function pointwiseConv(
  context: KernelGeneratorContext,
  name: string,
  inChannels: number,
  outChannels: number,
  init: LayerInitializers = kerasConvInitializers(context, name),
): (x: tf.Tensor4D) => tf.Tensor4D {
  const kernel = context.addWeight(`${name}/kernel`, [1, 1, inChannels, outChannels], init.kernel);
  const bias = context.addWeight(`${name}/bias`, [outChannels], init.bias);
  // One kernel, not a convolution and an Add: tfjs-webgpu adds the bias in its shader, the engine (cpu, wasm)
  // as its thin products store (a pass of its own for wider ones), the bits of Conv2D + Add either way.
  return (x) =>
    tf.fused.conv2d({ x, filter: kernel.read() as tf.Tensor4D, strides: 1, pad: 'valid', bias: bias.read() });
}

/** `y[c] = Σ_{u,v} W[u,v,c]·x[· + (u,v) − k/2, c] + b[c]`, zero-padded ('same'); initialised as Keras' DepthwiseConv2D. */
export function depthwiseConv(
  context: KernelGeneratorContext,
  name: string,
  channels: number,
  size: number,
): (x: tf.Tensor4D) => tf.Tensor4D {
  const kernel = context.addWeight(
    `${name}/kernel`,
    [size, size, channels, 1],
    initializers.glorotUniform({ seed: weightSeed(context, `${name}/kernel`) }),
  );
  const bias = context.addWeight(`${name}/bias`, [channels], initializers.zeros());
  return (x) =>
    tf.fused.depthwiseConv2d({
      x,
      filter: kernel.read() as tf.Tensor4D,
      strides: 1,
      pad: 'same',
      bias: bias.read(),
    });
}

/**
 * Keras' BatchNormalization over the channel axis, then `activation` (see {@link kerasBatchNorm}): the batch's
 * statistics in training, one fused kernel each way, and the moving ones in inference.
 */
export function batchNorm(
  context: KernelGeneratorContext,
  name: string,
  channels: number,
  activation: BatchNormActivation = 'linear',
): Block {
  const weights = {
    gamma: context.addWeight(`${name}/gamma`, [channels], initializers.ones()),
    beta: context.addWeight(`${name}/beta`, [channels], initializers.zeros()),
    movingMean: context.addWeight(`${name}/moving_mean`, [channels], initializers.zeros(), false),
    movingVariance: context.addWeight(`${name}/moving_variance`, [channels], initializers.ones(), false),
  };
  const settings = { momentum: BN_MOMENTUM, epsilon: BN_EPSILON, activation };
  return (x, training) => kerasBatchNorm(x, weights, settings, training);
}

/** The bottleneck width `floor(C / r)` of the reduce–expand MLP; an error when that leaves no channel. */
export function reducedChannels(context: KernelGeneratorContext): number {
  const reduced = Math.floor(context.channels / context.reductionRatio);
  if (reduced < 1) {
    throw new Error(
      `${context.where}: the bottleneck floor(channels / reductionRatio) = floor(${context.channels} / ${context.reductionRatio}) is 0; reductionRatio must be <= channels (${context.channels})`,
    );
  }
  return reduced;
}

/** K²·G: one logit per tap and group. */
export function kernelChannels(geometry: KernelGeneratorGeometry): number {
  return geometry.kernelSize * geometry.kernelSize * geometry.groups;
}

/** How a generator's last layer (the one that outputs the K²·G kernel values) starts: its config key `init`. */
export type KernelInit = 'glorot' | 'static';
const KERNEL_INITS: readonly KernelInit[] = ['glorot', 'static'];

/** The `init` in a generator's config: 'glorot' when absent; an error for anything else. */
export function kernelInit(context: KernelGeneratorContext): KernelInit {
  const init = context.config['init'] ?? 'glorot';
  if (!KERNEL_INITS.includes(init as KernelInit)) {
    throw new Error(
      `${context.where}: init must be one of ${KERNEL_INITS.map((i) => `'${i}'`).join(', ')}, got ${JSON.stringify(init)}`,
    );
  }
  return init as KernelInit;
}

/**
 * Initialisers of layer `name`, which outputs the kernel values. 'glorot': Glorot-uniform weights and zero bias,
 * as Keras' Conv2D (the seed's). 'static': zero weights and a bias drawn as a K×K depthwise conv's kernel
 * (Glorot-uniform, limit √3/K), so every position starts with the same kernel, a depthwise convolution, and the
 * input-dependent part grows from zero as it trains. Stacked from the 'glorot' start, three involution layers
 * barely learn: the kernels begin as random functions of the input, and each layer scrambles its input's
 * signs and scales by them.
 */
export function kernelLogitInitializers(
  context: KernelGeneratorContext,
  name: string,
  init: KernelInit,
): LayerInitializers {
  if (init === 'glorot') return kerasConvInitializers(context, name);
  const limit = Math.sqrt(3) / context.kernelSize;
  return {
    kernel: initializers.zeros(),
    bias: initializers.randomUniform({
      minval: -limit,
      maxval: limit,
      seed: weightSeed(context, `${name}/bias`),
    }),
  };
}

/**
 * The paper's kernel MLP, per pixel: `W₂·ReLU(BN(W₁·x + b₁)) + b₂`, C → floor(C/r) → K²·G, its last layer
 * started as `init` says. Weights `reduce/*`, `bn/*`, `expand/*`.
 */
export function reduceExpandMlp(context: KernelGeneratorContext, init: KernelInit = 'glorot'): Block {
  const reduced = reducedChannels(context);
  const reduce = pointwiseConv(context, 'reduce', context.channels, reduced);
  const norm = batchNorm(context, 'bn', reduced, 'relu');
  const expand = pointwiseConv(
    context,
    'expand',
    reduced,
    kernelChannels(context),
    kernelLogitInitializers(context, 'expand', init),
  );
  return (x, training) => expand(norm(reduce(x), training));
}

/**
 * `[B,h,w,K²·G]` → `[B,h,w,K²,G]`: channel `t·G + g` is tap t of group g, the Keras seed's order
 * (`Reshape((h, w, K*K, 1, G))`).
 */
export function toKernel(logits: tf.Tensor4D, geometry: KernelGeneratorGeometry): tf.Tensor5D {
  const [batch, height, width] = logits.shape;
  const taps = geometry.kernelSize * geometry.kernelSize;
  return tf.reshape(logits, [batch, height, width, taps, geometry.groups]);
}

/** Rejects settings a built-in generator does not take, naming the ones it does. */
export function expectConfigKeys(context: KernelGeneratorContext, known: readonly string[]): void {
  const unknown = Object.keys(context.config).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    const takes =
      known.length === 0 ? 'takes no config' : `takes only ${known.map((k) => `'${k}'`).join(', ')}`;
    throw new Error(
      `${context.where}: unknown config key(s) ${unknown.map((k) => `'${k}'`).join(', ')}; it ${takes}`,
    );
  }
}
