import { AxisSoftmax, type AxisSoftmaxAttrs } from '@inv/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { ensureFusedKernels } from '../kernels/register_kernels.js';

/**
 * Softmax along any one axis: `e^(x − max) / Σ e^(x − max)` along `axis` (negative counts from the end), where
 * `tf.softmax` takes only the last. One kernel each way (`InvAxisSoftmax` and its gradient, on the engine on
 * cpu and wasm; a composite of stock ops elsewhere); the softmax generator's normalisation over a kernel's
 * K×K taps, a middle axis of [B, H, W, K², G]. Differentiable (first order).
 *
 * @param logits float32, any rank ≥ 1
 */
export function axisSoftmax<T extends tf.Tensor>(logits: T, axis: number): T {
  const where = 'axisSoftmax';
  if (logits.dtype !== 'float32') throw new Error(`${where}: logits must be float32, got ${logits.dtype}`);
  const rank = logits.rank;
  if (rank < 1 || !Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(
      `${where}: axis must be an integer in [${-rank}, ${rank - 1}] for logits of shape [${logits.shape.join(', ')}], got ${axis}`,
    );
  }
  ensureFusedKernels(tf.getBackend(), AxisSoftmax);
  const attrs: AxisSoftmaxAttrs = { axis };
  return tf.engine().runKernel(AxisSoftmax, { logits }, attrs) as T;
}
