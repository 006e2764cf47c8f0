import * as tf from '@tensorflow/tfjs';
import type { LrSchedule, OptimizerName } from '../args.js';

/** The optimizer named on the command line, with Keras' defaults besides the learning rate. */
export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      return tf.train.adam(learningRate, 0.9, 0.999, 1e-7);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
  }
}

/** The learning rate of step `step` (0-based) of `totalSteps` under `schedule`: a function of the step alone, so a resumed run follows the same curve. */
export function scheduledLearningRate(
  schedule: LrSchedule,
  lr: number,
  step: number,
  totalSteps: number,
): number {
  return schedule === 'constant' ? lr : (lr * (1 + Math.cos((Math.PI * step) / totalSteps))) / 2;
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
