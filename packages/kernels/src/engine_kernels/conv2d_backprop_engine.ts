import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilter, conv2dBackpropInput } from '../engine/conv2d.js';
import { runStockKernel } from '../stock_kernels.js';
import { nhwcConv2DInfo } from '../typed_array/conv2d_info.js';
import { convFlops, engineGeometry } from './conv2d_geometry.js';
import { runOnEngine, type EngineIO } from './run_on_engine.js';

/** Conv2DBackpropInput on the engine: a gather per input pixel (NHWC); NCHW goes to the stock kernel. */
export function conv2dBackpropInputEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName,
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const info = nhwcConv2DInfo(attrs.inputShape, filter.shape, attrs);
      if (info === undefined) return runStockKernel(tf.Conv2DBackpropInput, backendName, args);
      const g = engineGeometry(info);
      return runOnEngine(
        io,
        args.backend,
        [dy, filter],
        [...attrs.inputShape],
        convFlops(g),
        (engine, [da, fa], dx) => conv2dBackpropInput(engine, g, da!, fa!, dx),
      );
    },
  };
}

/**
 * Conv2DBackpropFilter on the engine (tfjs-wasm lacks it): fixed chunks of pixels summed in a fixed order,
 * so the result is the same for any thread count. NCHW goes to the stock kernel (cpu) or is an error (wasm).
 */
export function conv2dBackpropFilterEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName,
    kernelFunc: (args) => {
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      const info = nhwcConv2DInfo(x.shape, attrs.filterShape, attrs);
      if (info === undefined && backendName === 'wasm') {
        throw new Error(
          `Conv2DBackpropFilter (wasm): dataFormat '${attrs.dataFormat}' is not supported; wasm convolves NHWC only`,
        );
      }
      if (info === undefined) return runStockKernel(tf.Conv2DBackpropFilter, backendName, args);
      const g = engineGeometry(info);
      return runOnEngine(
        io,
        args.backend,
        [x, dy],
        [...attrs.filterShape],
        convFlops(g),
        (engine, [xa, da], dw) => conv2dBackpropFilter(engine, g, xa!, da!, dw),
      );
    },
  };
}
