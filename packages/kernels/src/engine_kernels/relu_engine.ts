import * as tf from '@tensorflow/tfjs-core';
import { relu } from '../engine/elementwise.js';
import { engineThreads } from '../engine/process_engine.js';
import { runStockKernel } from '../stock_kernels.js';
import { runOnEngine, type EngineIO } from './run_on_engine.js';

/**
 * The stock kernel rectifies below these many floats, and on one thread. Measured (wasm, ms ours / stock): 2
 * threads [64,16,16,16] 0.078 / 0.052, [128,8,8,64] 0.074 / 0.146, [128,32,32,32] 0.635 / 1.138; one
 * thread [128,8,8,64] 0.169 / 0.154 (the engine call's fixed cost), [128,32,32,32] 1.21 / 1.15.
 */
export const ENGINE_RELU_MIN_FLOATS = 524288;

/** Relu on the engine, on every thread where the heap is shared: tfjs-wasm's is one thread. The same bits. */
export function reluEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf.Relu,
    backendName,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const length = tf.util.sizeFromShape(x.shape);
      if (x.dtype !== 'float32' || length < ENGINE_RELU_MIN_FLOATS || engineThreads() === 1) {
        return runStockKernel(tf.Relu, backendName, args);
      }
      return runOnEngine(io, args.backend, [x], x.shape.slice(), length, (engine, [input], out) =>
        relu(engine, input!, out, length),
      );
    },
  };
}
