import * as tf from '@tensorflow/tfjs-core';
import { BatchNormTraining, BatchNormTrainingGrad } from '@inv/kernels';

/**
 * One kernel computes all three input gradients, run once here rather than in each input's closure (the
 * engine calls those one by one); what a caller does not ask for is freed with the backward pass.
 */
export const batchNormTrainingGradConfig: tf.GradConfig = {
  kernelName: BatchNormTraining,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [true, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [dy, dMean, dVariance] = dys as tf.Tensor[];
    const [x, scale, y, mean, variance] = saved as tf.Tensor[];
    const [dx, dScale, dOffset] = tf.engine().runKernel(
      BatchNormTrainingGrad,
      {
        dy: dy!,
        x: x!,
        y: y!,
        scale: scale!,
        mean: mean!,
        variance: variance!,
        dMean: dMean!,
        dVariance: dVariance!,
      },
      attrs,
    ) as unknown as tf.Tensor[];
    return { x: () => dx!, scale: () => dScale!, offset: () => dOffset! };
  },
};
