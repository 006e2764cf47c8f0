import * as tf from '@tensorflow/tfjs-core';

/** A value as an error message shows it: strings quoted, objects by kind, never `[object Object]`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value instanceof tf.Tensor) return `a ${value.dtype} tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'object' && value !== null)
    return `an object (${Object.prototype.toString.call(value)})`;
  return String(value);
}

/**
 * An op's float32 tensor input: a tensor, or a (nested) array or typed array of numbers, converted. Anything
 * else fails naming the op (`where`), the input and what it got.
 */
export function floatInput(where: string, name: string, value: unknown): tf.Tensor {
  const expected = 'a float32 tensor or a nested array of numbers';
  let tensor: tf.Tensor;
  if (value instanceof tf.Tensor) {
    tensor = value;
  } else if (typeof value === 'object' && value !== null) {
    try {
      tensor = tf.tensor(value as tf.TensorLike);
    } catch (error) {
      throw new Error(`${where}: ${name} must be ${expected}: ${(error as Error).message}`, { cause: error });
    }
  } else {
    throw new Error(`${where}: ${name} must be ${expected}, got ${describeValue(value)}`);
  }
  if (tensor.dtype !== 'float32') throw new Error(`${where}: ${name} must be float32, got ${tensor.dtype}`);
  return tensor;
}
