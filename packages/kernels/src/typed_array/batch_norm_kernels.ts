import type { NamedAttrMap, NamedTensorInfoMap } from '@tensorflow/tfjs-core';
import { BatchNormTraining, BatchNormTrainingGrad, type BatchNormTrainingAttrs } from '../kernel_names.js';
import {
  batchNormTrainingBackward,
  batchNormTrainingForward,
  type BatchNormTensors,
} from './batch_norm_training.js';
import type { FloatKernel } from './float_kernel.js';

/** x-shaped output first, then per-channel ones. */
const xAndChannels = (inputs: NamedTensorInfoMap): number[][] => {
  const { shape } = inputs['x']!;
  return [shape, [shape[shape.length - 1]!], [shape[shape.length - 1]!]];
};

const tensors = (inputs: Record<string, Float32Array>, attrs: NamedAttrMap): BatchNormTensors => {
  const { epsilon, activation } = attrs as unknown as BatchNormTrainingAttrs;
  return { x: inputs['x']!, scale: inputs['scale']!, epsilon, relu: activation === 'relu' };
};

export const floatBatchNormTraining: FloatKernel = {
  kernelName: BatchNormTraining,
  inputNames: ['x', 'scale', 'offset'],
  outputShapes: xAndChannels,
  compute: (inputs, [y, mean, variance], attrs) =>
    batchNormTrainingForward(tensors(inputs, attrs), inputs['offset']!, y!, mean!, variance!),
};

export const floatBatchNormTrainingGrad: FloatKernel = {
  kernelName: BatchNormTrainingGrad,
  inputNames: ['dy', 'x', 'y', 'scale', 'mean', 'variance', 'dMean', 'dVariance'],
  outputShapes: xAndChannels,
  compute: (inputs, [dx, dScale, dOffset], attrs) =>
    batchNormTrainingBackward(
      tensors(inputs, attrs),
      {
        dy: inputs['dy']!,
        y: inputs['y']!,
        mean: inputs['mean']!,
        variance: inputs['variance']!,
        dMean: inputs['dMean']!,
        dVariance: inputs['dVariance']!,
      },
      dx!,
      dScale!,
      dOffset!,
    ),
};
