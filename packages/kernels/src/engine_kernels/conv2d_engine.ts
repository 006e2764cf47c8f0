import * as tf from '@tensorflow/tfjs-core';
import { conv2dForward } from '../engine/conv2d.js';
import { runStockKernel } from '../stock_kernels.js';
import { nhwcConv2DInfo } from '../typed_array/conv2d_info.js';
import { convFlops, engineGeometry } from './conv2d_geometry.js';
import { applyActivation, ENGINE_ACTIVATIONS, runOnEngine, type EngineIO } from './run_on_engine.js';

/** Conv2D on the engine (NHWC, any stride, dilation and padding); NCHW goes to the stock kernel. */
export function conv2dEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf.Conv2D,
    backendName,
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
      const info = nhwcConv2DInfo(x.shape, filter.shape, args.attrs as unknown as tf.Conv2DAttrs);
      if (info === undefined) return runStockKernel(tf.Conv2D, backendName, args);
      const g = engineGeometry(info);
      return runOnEngine(io, args.backend, [x, filter], info.outShape, convFlops(g), (engine, [xa, fa], y) =>
        conv2dForward(engine, g, xa!, fa!, y),
      );
    },
  };
}

/**
 * FusedConv2D (what Keras' Conv2D layer calls) on the engine: the convolution with its bias, then a linear or
 * ReLU activation in place on its output. Other activations, PReLU weights, a bias that is not one value per
 * output channel, and NCHW go to the stock kernel.
 */
export function fusedConv2dEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf.FusedConv2D,
    backendName,
    kernelFunc: (args) => {
      const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo>;
      const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
      const info = nhwcConv2DInfo(x!.shape, filter!.shape, attrs);
      const perChannelBias = bias === undefined || bias.shape.reduce((n, d) => n * d, 1) === filter!.shape[3];
      if (
        info === undefined ||
        !ENGINE_ACTIVATIONS.includes(attrs.activation) ||
        preluActivationWeights !== undefined ||
        !perChannelBias
      ) {
        return runStockKernel(tf.FusedConv2D, backendName, args);
      }
      const g = engineGeometry(info);
      const outLength = info.outShape.reduce((n, d) => n * d, 1);
      return runOnEngine(
        io,
        args.backend,
        bias === undefined ? [x!, filter!] : [x!, filter!, bias],
        info.outShape,
        convFlops(g),
        (engine, [xa, fa, ba], y) => {
          conv2dForward(engine, g, xa!, fa!, y, { bias: ba });
          applyActivation(engine, y, outLength, attrs.activation);
        },
      );
    },
  };
}
