import * as tf from '@tensorflow/tfjs-core';
import { addRows } from '../engine/elementwise.js';
import { runStockKernel } from '../stock_kernels.js';
import { runOnEngine, type EngineIO } from './run_on_engine.js';

/**
 * Below this many output floats the stock kernel adds: one call costs about as much as handing out a job.
 * Measured on wasm (2 threads, Xeon): ...
 */
export const ENGINE_ADD_MIN_FLOATS = 32768;

/**
 * The operands of an Add the engine takes, longer first (float addition commutes, bit for bit): both float32,
 * the shorter as long as the longer or its last axes (a bias: its shape, leading 1s aside, is a suffix of the
 * other's); undefined for any other broadcast.
 */
export function engineAddOperands(
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): [long: tf.TensorInfo, short: tf.TensorInfo] | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const [long, short] = tf.util.sizeFromShape(a.shape) >= tf.util.sizeFromShape(b.shape) ? [a, b] : [b, a];
  const first = short.shape.findIndex((d) => d !== 1);
  // A scalar (or all-1 shape) broadcast is left to the stock kernel.
  if (first < 0) return undefined;
  const trimmed = short.shape.slice(first);
  if (trimmed.length > long.shape.length) return undefined;
  const suffix = long.shape.slice(long.shape.length - trimmed.length);
  return trimmed.every((d, i) => d === suffix[i]) ? [long, short] : undefined;
}

/** Add on the engine, on every thread where the heap is shared: tfjs-wasm's is one thread. */
export function addEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf.Add,
    backendName,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const operands = engineAddOperands(a, b);
      const length = operands === undefined ? 0 : tf.util.sizeFromShape(operands[0].shape);
      if (operands === undefined || length < ENGINE_ADD_MIN_FLOATS) {
        return runStockKernel(tf.Add, backendName, args);
      }
      const [long, short] = operands;
      const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      return runOnEngine(io, args.backend, [long, short], outShape, length, (engine, [l, s], out) =>
        addRows(engine, l!, s!, out, length, tf.util.sizeFromShape(short.shape)),
      );
    },
  };
}
