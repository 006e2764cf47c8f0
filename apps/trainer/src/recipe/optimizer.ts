import { fusedAdam } from '@inv/core';
import * as tf from '@tensorflow/tfjs';

export const OPTIMIZERS = ['adam', 'adamw', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const LR_SCHEDULES = ['constant', 'cosine', 'onecycle'] as const;
export type LrSchedule = (typeof LR_SCHEDULES)[number];

/** The settings of `createOptimizer` besides the name and rate. */
export interface OptimizerSettings {
  /** SGD's momentum (heavy ball, or Nesterov's with `nesterov`). Default 0: plain SGD. */
  momentum?: number;
  nesterov?: boolean;
}

/**
 * The optimizer named on the command line, with Keras' defaults besides the learning rate. `adamw` is Adam
 * with PyTorch's ε (1e-8); its weight decay is decoupled, applied by `decayWeights` beside the step, as it is
 * for every optimizer given a weight decay. Adam is @inv/core's `fusedAdam`: tfjs's Adam bit for bit (runs
 * from before it continue exactly), one kernel a variable where tfjs's takes 14.
 */
export function createOptimizer(
  name: OptimizerName,
  learningRate: number,
  { momentum = 0, nesterov = false }: OptimizerSettings = {},
): tf.Optimizer {
  switch (name) {
    case 'adam':
      return fusedAdam(learningRate, 0.9, 0.999, 1e-7);
    case 'adamw':
      return fusedAdam(learningRate, 0.9, 0.999, 1e-8);
    case 'sgd':
      // Plain SGD stays tf.train.sgd, so runs from before momentum existed continue bit for bit.
      return momentum === 0 && !nesterov
        ? tf.train.sgd(learningRate)
        : tf.train.momentum(learningRate, momentum, nesterov);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
  }
}

/**
 * The learning rate of step `step` (0-based) of `totalSteps`: a function of the step alone, so a resumed run
 * follows the same curve.
 * - `constant`: `lr`, after a linear warm-up over the first `warmupSteps` steps;
 * - `cosine`: the warm-up, then lr · ½(1 + cos(π · t)) with t going from 0 to 1 over the remaining steps;
 * - `onecycle` (Smith's, as airbench and fast.ai use it): linear from lr/25 up to `lr` at `warmupSteps`, then
 *   linear down to 0 at the end.
 */
export function scheduledLearningRate(
  schedule: LrSchedule,
  lr: number,
  step: number,
  totalSteps: number,
  warmupSteps = 0,
): number {
  const warmup = Math.min(warmupSteps, totalSteps);
  if (schedule === 'onecycle') {
    const start = lr / 25;
    return step < warmup
      ? start + ((lr - start) * step) / warmup
      : (lr * Math.max(0, totalSteps - step)) / Math.max(1, totalSteps - warmup);
  }
  if (step < warmup) return (lr * (step + 1)) / warmup;
  if (schedule === 'constant') return lr;
  return (lr * (1 + Math.cos((Math.PI * (step - warmup)) / (totalSteps - warmup)))) / 2;
}

/**
 * Decoupled weight decay (Loshchilov & Hutter's AdamW, and SGDW): w ← w · (1 − lr · decay) before the step,
 * as PyTorch's AdamW does, on the kernels only (rank ≥ 2): biases and batch-norm scales and shifts are not
 * decayed, the usual practice for small CIFAR nets.
 */
export function decayWeights(variables: readonly tf.Variable[], lr: number, decay: number): void {
  if (decay === 0) return;
  const keep = 1 - lr * decay;
  tf.tidy(() => {
    for (const v of variables) if (v.rank >= 2) v.assign(tf.mul(v, keep));
  });
}

/**
 * Sets the rate the next step uses: tfjs' Adam and RMSProp read `learningRate` every step, SGD caches it as a
 * tensor behind `setLearningRate`. (Not `instanceof tf.SGDOptimizer`: tfjs optimizers answer instanceof by
 * duck typing, so Adam passes it.)
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const target = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (target.setLearningRate !== undefined) target.setLearningRate(lr);
  else target.learningRate = lr;
}

type NamedTensor = { name: string; tensor: tf.Tensor };

/**
 * tfjs's Adam keeps β₁ᵗ and β₂ᵗ outside `getWeights()` and recomputes them with pow() in `setWeights()`, a
 * last-bit difference from the step-by-step products that Adam's normalisation amplifies for weights whose
 * gradient is ~0. Checkpoints carry them exactly under these names.
 */
const ADAM_POWERS = ['accBeta1', 'accBeta2'] as const;
const POWER_PREFIX = 'inv_adam_power/';

function adamPowers(optimizer: tf.Optimizer): Partial<Record<(typeof ADAM_POWERS)[number], tf.Variable>> {
  return optimizer instanceof tf.AdamOptimizer ? (optimizer as unknown as Record<string, tf.Variable>) : {};
}

/** Everything needed to continue with the same optimizer trajectory. */
export async function optimizerState(optimizer: tf.Optimizer): Promise<NamedTensor[]> {
  const powers = adamPowers(optimizer);
  const extra = ADAM_POWERS.flatMap((key) =>
    powers[key] ? [{ name: `${POWER_PREFIX}${key}`, tensor: powers[key]! }] : [],
  );
  return [...(await optimizer.getWeights()), ...extra];
}

export async function restoreOptimizerState(optimizer: tf.Optimizer, state: NamedTensor[]): Promise<void> {
  await optimizer.setWeights(state.filter((w) => !w.name.startsWith(POWER_PREFIX)));
  const powers = adamPowers(optimizer);
  for (const key of ADAM_POWERS) {
    const saved = state.find((w) => w.name === `${POWER_PREFIX}${key}`);
    if (saved && powers[key]) powers[key]!.assign(saved.tensor as tf.Scalar);
  }
}
