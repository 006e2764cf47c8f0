/** The softmax kernels written with stock tfjs ops, for backends without inv's (webgpu, tensorflow, ...). */
import * as tf from '@tensorflow/tfjs-core';

/** `e^(x − max) / Σ e^(x − max)` along `axis`. */
export function axisSoftmaxComposite(logits: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => {
    const shifted = tf.sub(logits, tf.max(logits, axis, true));
    const e = tf.exp(shifted);
    return tf.div(e, tf.sum(e, axis, true));
  });
}

/** `y·(dy − Σ y·dy)` along `axis`. */
export function axisSoftmaxGradComposite(dy: tf.Tensor, y: tf.Tensor, axis: number): tf.Tensor {
  return tf.tidy(() => tf.mul(y, tf.sub(dy, tf.sum(tf.mul(y, dy), axis, true))));
}
