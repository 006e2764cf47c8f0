import * as tf from '@tensorflow/tfjs-core';
import { axisSoftmax, axisSoftmaxGrad, axisView } from '../engine/axis_softmax.js';
import { AxisSoftmax, AxisSoftmaxGrad, type AxisSoftmaxAttrs } from '../kernel_names.js';
import { runOnEngine, type EngineIO } from './run_on_engine.js';

/** Flops an element (the max, the exponential's polynomial, the sum and the division), for runOnEngine. */
const FLOPS_PER_ELEMENT = 24;

function floatInputs(kernelName: string, inputs: Record<string, tf.TensorInfo>): void {
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== 'float32') throw new Error(`${kernelName}: ${name} must be float32, got ${t.dtype}`);
  }
}

/** {@link AxisSoftmax} on the engine: one pass of four lanes at a time, every thread. */
export function axisSoftmaxEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: AxisSoftmax,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { logits } = inputs as { logits: tf.TensorInfo };
      floatInputs(AxisSoftmax, { logits });
      const view = axisView(logits.shape, (attrs as unknown as AxisSoftmaxAttrs).axis, AxisSoftmax);
      const flops = FLOPS_PER_ELEMENT * tf.util.sizeFromShape(logits.shape);
      return runOnEngine(io, backend, [logits], [...logits.shape], flops, (engine, [x], out) =>
        axisSoftmax(engine, x!, out, view),
      );
    },
  };
}

/** {@link AxisSoftmaxGrad} on the engine. */
export function axisSoftmaxGradEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: AxisSoftmaxGrad,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => {
      const { dy, y } = inputs as { dy: tf.TensorInfo; y: tf.TensorInfo };
      floatInputs(AxisSoftmaxGrad, { dy, y });
      if (!tf.util.arraysEqual(dy.shape, y.shape)) {
        throw new Error(
          `${AxisSoftmaxGrad}: dy [${dy.shape.join(', ')}] must have y's shape [${y.shape.join(', ')}]`,
        );
      }
      const view = axisView(y.shape, (attrs as unknown as AxisSoftmaxAttrs).axis, AxisSoftmaxGrad);
      const flops = 4 * tf.util.sizeFromShape(y.shape);
      return runOnEngine(io, backend, [y, dy], [...y.shape], flops, (engine, [py, pdy], out) =>
        axisSoftmaxGrad(engine, py!, pdy!, out, view),
      );
    },
  };
}
