import type * as tf from '@tensorflow/tfjs';

/** Parameter totals as Keras reports them. */
export interface ParameterCounts {
  total: number;
  trainable: number;
  nonTrainable: number;
}

function countWeights(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
}

export function parameterCounts(model: tf.LayersModel): ParameterCounts {
  const trainable = countWeights(model.trainableWeights);
  const nonTrainable = countWeights(model.nonTrainableWeights);
  return { total: trainable + nonTrainable, trainable, nonTrainable };
}

/**
 * A Keras-like table: layer (type), output shape, params, then total / trainable / non-trainable.
 * tfjs-layers already draws exactly that table; this returns it as text instead of printing it.
 */
export function summary(model: tf.LayersModel, lineLength = 90): string {
  const lines: string[] = [];
  model.summary(lineLength, undefined, (...parts: unknown[]) => lines.push(parts.join(' ')));
  return lines.join('\n');
}
