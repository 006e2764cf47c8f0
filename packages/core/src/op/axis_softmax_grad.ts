import { AxisSoftmax, AxisSoftmaxGrad } from '@inv/kernels';
import * as tf from '@tensorflow/tfjs-core';

/** The gradient of {@link AxisSoftmax} from its output: one `InvAxisSoftmaxGrad` kernel. */
export const axisSoftmaxGradConfig: tf.GradConfig = {
  kernelName: AxisSoftmax,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [y] = saved as tf.Tensor[];
    return {
      logits: () =>
        tf.engine().runKernel(AxisSoftmaxGrad, { dy: dy as tf.Tensor, y: y! }, attrs) as tf.Tensor,
    };
  },
};
