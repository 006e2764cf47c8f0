import * as tf from '@tensorflow/tfjs-core';
import { addRows } from '../engine/elementwise.js';
import { runStockKernel } from '../stock_kernels.js';
import { runOnEngine, type EngineIO } from './run_on_engine.js';

/**
 * The stock kernel adds below these many output floats. Measured on wasm (2 threads, idle Xeon, ms ours /
 * stock): same shape [128,32,32,64] 2.1 / 3.8, [256,32,32,3] 0.26 / 0.36, [64,512] 0.011 / 0.010; a bias
 * [256,32,32] + [9] 0.50 / 2.76 (the stock broadcast goes element by element), [256] + [1024] 0.080 / 0.070.
 */
export const ENGINE_ADD_MIN_FLOATS = 131072;
/** A bias (the shorter operand repeated) gains from the engine from here on. */
export const ENGINE_BIAS_ADD_MIN_FLOATS = 32768;

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
      if (operands === undefined) return runStockKernel(tf.Add, backendName, args);
      const [long, short] = operands;
      const length = tf.util.sizeFromShape(long.shape);
      const shortLength = tf.util.sizeFromShape(short.shape);
      if (length < (shortLength < length ? ENGINE_BIAS_ADD_MIN_FLOATS : ENGINE_ADD_MIN_FLOATS)) {
        return runStockKernel(tf.Add, backendName, args);
      }
      const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
      return runOnEngine(io, args.backend, [long, short], outShape, length, (engine, [l, s], out) =>
        addRows(engine, l!, s!, out, length, shortLength),
      );
    },
  };
}
