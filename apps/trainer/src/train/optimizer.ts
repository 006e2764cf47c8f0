import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../args.js';

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
