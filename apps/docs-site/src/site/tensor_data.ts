import type * as tf from '@tensorflow/tfjs';

/** A tensor as plain data, so it survives `page.evaluate` and JSON. */
export interface TensorData {
  readonly shape: number[];
  readonly values: number[];
}

/** Reads a tensor back into {@link TensorData}. */
export async function tensorData(tensor: tf.Tensor): Promise<TensorData> {
  return { shape: [...tensor.shape], values: Array.from(await tensor.data()) };
}
