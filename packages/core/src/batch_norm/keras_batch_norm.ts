import * as tf from '@tensorflow/tfjs-core';
import type { LayerVariable } from '@tensorflow/tfjs-layers';
import { batchNormTraining } from '../op/batch_norm_training.js';
import { MovingAverages, type BatchNormActivation, type MovingAveragesAttrs } from '@inv/kernels';

/** The four weights of a Keras-style batch normalisation, one value per channel. */
export interface BatchNormWeights {
  gamma: LayerVariable;
  beta: LayerVariable;
  movingMean: LayerVariable;
  movingVariance: LayerVariable;
}

/** How it normalises: Keras' momentum and epsilon, and what follows the affine step. */
export interface BatchNormSettings {
  momentum: number;
  epsilon: number;
  activation: BatchNormActivation;
}

/**
 * Keras' BatchNormalization over the last axis, `act(γ·(x − μ)/√(σ² + ε) + β)`: in training with the batch's
 * μ and biased σ² ({@link batchNormTraining}, one fused kernel each way), moving the moving statistics towards
 * them (`moving ← moving − (moving − batch)·(1 − momentum)`, as tfjs-layers does); in inference with the
 * moving ones. Shared by the FusedBatchNormalization layer and the kernel generators' BN block.
 */
export function kerasBatchNorm<T extends tf.Tensor>(
  x: T,
  w: BatchNormWeights,
  { momentum, epsilon, activation }: BatchNormSettings,
  training: boolean,
): T {
  const gamma = w.gamma.read() as tf.Tensor1D;
  const beta = w.beta.read() as tf.Tensor1D;
  if (!training) {
    const y = tf.batchNorm(x, w.movingMean.read(), w.movingVariance.read(), beta, gamma, epsilon);
    return (activation === 'relu' ? tf.relu(y) : y) as T;
  }
  const { y, mean, variance } = batchNormTraining(x, gamma, beta, { epsilon, activation });
  tf.tidy(() => {
    const [movingMean, movingVariance] = movingAverages(
      w.movingMean.read(),
      w.movingVariance.read(),
      mean,
      variance,
      momentum,
    );
    w.movingMean.write(movingMean!);
    w.movingVariance.write(movingVariance!);
  });
  return y;
}

/**
 * `moving − (moving − batch)·(1 − momentum)` for the mean and the variance: one `InvMovingAverages` kernel where
 * the backend has it (cpu, wasm), else the stock ops; the same bits either way.
 */
export function movingAverages(
  movingMean: tf.Tensor,
  movingVariance: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  momentum: number,
): tf.Tensor[] {
  if (tf.getKernel(MovingAverages, tf.getBackend()) !== undefined) {
    const attrs: MovingAveragesAttrs = { momentum };
    return tf
      .engine()
      .runKernel(MovingAverages, { movingMean, movingVariance, mean, variance }, attrs) as tf.Tensor[];
  }
  return [
    [movingMean, mean],
    [movingVariance, variance],
  ].map(([current, batch]) => tf.sub(current!, tf.mul(tf.sub(current!, batch!), 1 - momentum)));
}
