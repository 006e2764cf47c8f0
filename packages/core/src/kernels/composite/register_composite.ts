import type * as tf from '@tensorflow/tfjs-core';
import { involutionGeometry } from '../../op/geometry.js';
import {
  AxisSoftmax,
  AxisSoftmaxGrad,
  BatchNormTraining,
  BatchNormTrainingGrad,
  type AxisSoftmaxAttrs,
  type BatchNormTrainingAttrs,
} from '@inv/kernels';
import {
  Involution2D,
  Involution2DBackpropInput,
  Involution2DBackpropKernel,
  type Involution2DAttrs,
  type Involution2DBackpropInputAttrs,
} from '../../op/kernel_names.js';
import {
  involutionBackpropInputComposite,
  involutionBackpropKernelComposite,
  involutionForwardComposite,
} from '../../op/involution_composite.js';
import {
  batchNormTrainingComposite,
  batchNormTrainingGradComposite,
  type BatchNormGradTensors,
} from './batch_norm_composite.js';
import { axisSoftmaxComposite, axisSoftmaxGradComposite } from './axis_softmax_composite.js';

/** Kernel configs that run the composite (stock-op) involution, batch-norm and softmax kernels on `backendName`. */
export function compositeKernelConfigs(backendName: string): tf.KernelConfig[] {
  return [
    {
      kernelName: Involution2D,
      backendName,
      kernelFunc: ({ inputs, attrs }) => {
        const { x, kernel } = inputs as { x: tf.Tensor4D; kernel: tf.Tensor5D };
        return involutionForwardComposite(
          x,
          kernel,
          involutionGeometry(x.shape, attrs as unknown as Involution2DAttrs),
        );
      },
    },
    {
      kernelName: Involution2DBackpropInput,
      backendName,
      kernelFunc: ({ inputs, attrs }) => {
        const { dy, kernel } = inputs as { dy: tf.Tensor4D; kernel: tf.Tensor5D };
        const a = attrs as unknown as Involution2DBackpropInputAttrs;
        return involutionBackpropInputComposite(dy, kernel, involutionGeometry(a.inputShape, a));
      },
    },
    {
      kernelName: Involution2DBackpropKernel,
      backendName,
      kernelFunc: ({ inputs, attrs }) => {
        const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
        return involutionBackpropKernelComposite(
          x,
          dy,
          involutionGeometry(x.shape, attrs as unknown as Involution2DAttrs),
        );
      },
    },
    {
      kernelName: BatchNormTraining,
      backendName,
      kernelFunc: ({ inputs, attrs }) => {
        const { x, scale, offset } = inputs as { x: tf.Tensor; scale: tf.Tensor1D; offset: tf.Tensor1D };
        return batchNormTrainingComposite(x, scale, offset, attrs as unknown as BatchNormTrainingAttrs);
      },
    },
    {
      kernelName: BatchNormTrainingGrad,
      backendName,
      kernelFunc: ({ inputs, attrs }) =>
        batchNormTrainingGradComposite(
          inputs as unknown as BatchNormGradTensors,
          attrs as unknown as BatchNormTrainingAttrs,
        ),
    },
    {
      kernelName: AxisSoftmax,
      backendName,
      kernelFunc: ({ inputs, attrs }) =>
        axisSoftmaxComposite(
          (inputs as { logits: tf.Tensor }).logits,
          (attrs as unknown as AxisSoftmaxAttrs).axis,
        ),
    },
    {
      kernelName: AxisSoftmaxGrad,
      backendName,
      kernelFunc: ({ inputs, attrs }) => {
        const { dy, y } = inputs as { dy: tf.Tensor; y: tf.Tensor };
        return axisSoftmaxGradComposite(dy, y, (attrs as unknown as AxisSoftmaxAttrs).axis);
      },
    },
  ];
}
