/**
 * The `batchnorm` suite: inv's FusedBatchNormalization (ReLU fused) vs tfjs-layers' BatchNormalization + ReLU
 * layer, at the BN shapes of an inv-separable step (batch 256), in training mode: the forward pass alone and
 * with the gradients w.r.t. the input, γ and β.
 */
import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { fusedBatchNormalization } from '@inv/core';
import type { BenchCase, BenchMode, PreparedCase } from '../harness/types.js';
import { OP_MODES } from './op.js';
import type { Suite } from './suite.js';

export const FUSED_BN_IMPL = 'fused-bn-relu';
export const LAYERS_BN_IMPL = 'tfjs-layers-bn+relu';

export interface BatchNormShape {
  name: string;
  shape: [number, number, number, number];
}

/** inv-separable's largest BNs: after the stem conv (32×32×32) and after the first 1×1 mix (16×16×64). */
export const BATCH_NORM_SHAPES: readonly BatchNormShape[] = [
  { name: 'stem', shape: [256, 32, 32, 32] },
  { name: 'mix', shape: [256, 16, 16, 64] },
];

const SEED = 20210619;

function makeLayers(impl: string): layers.Layer[] {
  if (impl === FUSED_BN_IMPL) return [fusedBatchNormalization({ activation: 'relu' })];
  return [layers.batchNormalization({}), layers.reLU()];
}

/**
 * Builds the layers (weights created untimed) on fixed-seed inputs; every run is in training mode.
 * forward+backward returns the output and its gradients w.r.t. x, γ and β for an upstream gradient dy.
 */
export function prepareBatchNormCase(impl: string, mode: BenchMode, shape: BatchNormShape): PreparedCase {
  const stack = makeLayers(impl);
  const x = tf.variable(tf.randomNormal(shape.shape, 0.5, 2, 'float32', SEED));
  const dy = tf.randomNormal(shape.shape, 0, 1, 'float32', SEED + 2);
  const forward = () =>
    stack.reduce((t: tf.Tensor, layer) => layer.apply(t, { training: true }) as tf.Tensor, x);
  tf.dispose(tf.tidy(forward));
  const variables = [x, ...stack.flatMap((l) => l.trainableWeights.map((w) => w.read() as tf.Variable))];
  return {
    run:
      mode === 'forward'
        ? () => [forward()]
        : () => {
            // The upstream gradient given as dy itself: a loss like sum(out · dy) would add three full-size ops
            // (and on cpu a slow broadcast) that cost as much as the layer.
            const { value, grads } = tf.engine().gradients(forward, variables, dy);
            return [value, ...grads];
          },
    imagesPerRun: shape.shape[0],
    dispose: () => {
      stack.forEach((l) => l.dispose());
      tf.dispose([x, dy]);
    },
  };
}

export const batchNormSuite: Suite = {
  name: 'batchnorm',
  description:
    "FusedBatchNormalization (ReLU fused) vs tfjs-layers' BatchNormalization + ReLU, in training mode",
  defaultBackends: ['cpu', 'wasm'],
  cases: (context) =>
    BATCH_NORM_SHAPES.map((s) =>
      context.quick ? { ...s, shape: [s.shape[0] / 8, ...s.shape.slice(1)] as BatchNormShape['shape'] } : s,
    ).flatMap((shape) =>
      [FUSED_BN_IMPL, LAYERS_BN_IMPL].flatMap((impl) =>
        OP_MODES.map((mode): BenchCase => ({
          case: shape.name,
          shape: shape.shape.join('×'),
          impl,
          mode,
          prepare: () => prepareBatchNormCase(impl, mode, shape),
        })),
      ),
    ),
  comparisons: [
    {
      label: 'fused vs tfjs-layers BN + ReLU',
      subject: FUSED_BN_IMPL,
      baseline: LAYERS_BN_IMPL,
      minSpeedup: 3,
    },
  ],
};
