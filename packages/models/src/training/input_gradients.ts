/**
 * Keeps a training step from computing the gradient of the input image. tfjs runs a Keras Conv2D with a linear
 * activation as `tf.fused.conv2d` in training too, and that op's gradient computes the gradient of each of its
 * inputs, the image's included, which nothing reads (tfjs asks a kernel's registered gradient only for the
 * inputs that lead to a variable, but a custom gradient returns them all): inv-separable-deep's 3×3 stem spent
 * 7.5 ms of a 108 ms step on it (batch 128, wasm, 2 threads). So a Conv2D that reads a model input runs as
 * Conv2D, then the bias add and the activation: the same sums, so the same bits, and the same saved layer.
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-layers' Conv2D that its own `call` reads. */
interface Conv2DLayer {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: [number, number];
  padding: 'valid' | 'same';
  dilationRate: [number, number];
  dataFormat: string;
  activation: { apply(x: tf.Tensor): tf.Tensor };
}

/** The models already seen: a training step calls this each time, a model's layers never change. */
const done = new WeakSet<tf.LayersModel>();

/** The model's Conv2D layers (channels last) that read an input layer, made to run unfused (once a model). */
export function skipInputGradients(model: tf.LayersModel): void {
  if (done.has(model)) return;
  done.add(model);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const conv = layer as unknown as Conv2DLayer;
    const readsInput = layer.inboundNodes.every((node) =>
      node.inboundLayers.every((l) => l.getClassName() === 'InputLayer'),
    );
    if (!readsInput || conv.dataFormat !== 'channelsLast') continue;
    layer.call = (inputs) =>
      tf.tidy(() => {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
        const y = tf.conv2d(
          x,
          conv.kernel.read() as tf.Tensor4D,
          conv.strides,
          conv.padding,
          'NHWC',
          conv.dilationRate,
        );
        return conv.activation.apply(conv.bias === null ? y : tf.add(y, conv.bias.read()));
      });
  }
}
