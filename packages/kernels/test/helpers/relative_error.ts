import type * as tf from '@tensorflow/tfjs-core';
import type { ReferenceArray } from '../../src/testing/index.js';

export { relativeError } from '../../src/testing/index.js';

/** A tensor's values in float64, for the references. */
export const ref = (t: tf.Tensor): ReferenceArray => ({
  data: Float64Array.from(t.dataSync()),
  shape: t.shape,
});
