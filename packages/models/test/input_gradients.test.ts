/**
 * skipInputGradients (run by every training step): a Conv2D reading the model's input runs unfused, so a step
 * computes no gradient of the image, and nothing else changes: the same outputs and gradients bit for bit, the
 * same saved model, on every backend that starts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { initBackend } from '@inv/core';
import { useTestSeed } from '@inv/core/testing';
import { skipInputGradients } from '../src/training/input_gradients.js';

const random = useTestSeed('input_gradients.test.ts', beforeEach);

const backends: string[] = [];
for (const backend of ['cpu', 'wasm', 'webgpu'] as const) {
  await initBackend(backend).then(
    () => backends.push(backend),
    (error: Error) => console.warn(`[inv tests] skipping backend ${backend}: ${error.message}`),
  );
}

type ConvConfig = Parameters<typeof tf.layers.conv2d>[0];
const stems: { label: string; config: ConvConfig }[] = [
  { label: '3×3 same, bias, linear', config: { filters: 5, kernelSize: 3, padding: 'same' } },
  {
    label: '3×3 valid, stride 2, no bias',
    config: { filters: 4, kernelSize: 3, strides: 2, useBias: false },
  },
  { label: '1×1, bias, relu', config: { filters: 6, kernelSize: 1, activation: 'relu' } },
];

/** A stem conv, a second conv (reading the first, not the input) and a Dense head; weights drawn from `values`. */
function model(stem: ConvConfig, values?: Float32Array[]): tf.LayersModel {
  const input = tf.input({ shape: [8, 8, 3] });
  const first = tf.layers.conv2d({ ...stem, name: 'stem' }).apply(input) as tf.SymbolicTensor;
  const second = tf.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same', name: 'inner' }).apply(first);
  const logits = tf.layers.dense({ units: 2 }).apply(tf.layers.flatten().apply(second)) as tf.SymbolicTensor;
  const built = tf.model({ inputs: input, outputs: logits });
  if (values) built.setWeights(built.getWeights().map((w, i) => tf.tensor(values[i]!, w.shape)));
  return built;
}

/** The output on `x` and the gradients of Σ output·dy for every weight, and the kernels the gradient ran. */
async function step(m: tf.LayersModel, x: tf.Tensor4D, dy: tf.Tensor) {
  const variables = m.trainableWeights.map((w) => w.read() as tf.Variable);
  const profile = await tf.profile(() => {
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.mul(m.apply(x, { training: true }) as tf.Tensor, dy)),
      variables,
    );
    return variables.map((v) => grads[v.name]!);
  });
  const grads = profile.result as tf.Tensor[];
  const values = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose(grads);
  const y = m.apply(x, { training: false }) as tf.Tensor;
  const output = (await y.data()) as Float32Array;
  y.dispose();
  return { output, grads: values, kernels: profile.kernels.map((k) => k.name) };
}

describe.each(backends)('skipInputGradients on %s', (backend) => {
  it.each(stems)(
    '$label: the same bits, no gradient of the image, the same saved form',
    async ({ config }) => {
      await tf.setBackend(backend);
      const shapes = model(config)
        .getWeights()
        .map((w) => w.shape);
      const values = shapes.map((s) =>
        random.uniformArray(
          s.reduce((a, b) => a * b, 1),
          -1,
          1,
        ),
      );
      const [fused, unfused] = [model(config, values), model(config, values)];
      const savedBefore = JSON.stringify(unfused.toJSON(null, false));
      skipInputGradients(unfused);
      skipInputGradients(unfused); // a second call changes nothing
      expect(JSON.stringify(unfused.toJSON(null, false))).toBe(savedBefore);
      const x = tf.tensor4d(random.uniformArray(2 * 8 * 8 * 3, -1, 1), [2, 8, 8, 3]);
      const outShape = (fused.outputs[0]!.shape as number[]).map((d) => d ?? 2);
      const dy = tf.tensor(random.uniformArray(2 * 2, -1, 1), outShape);
      const [a, b] = [await step(fused, x, dy), await step(unfused, x, dy)];
      expect(b.output).toEqual(a.output);
      b.grads.forEach((g, i) => expect(g, `gradient ${i}`).toEqual(a.grads[i]));
      // A linear stem runs fused in training and computed the image's gradient too (one Conv2DBackpropInput
      // more); with a ReLU tfjs unfuses it in training itself.
      const inputGradients = (kernels: string[]) => kernels.filter((k) => k === 'Conv2DBackpropInput').length;
      expect(inputGradients(a.kernels) - inputGradients(b.kernels)).toBe(
        config.activation === undefined ? 1 : 0,
      );
      tf.dispose([x, dy]);
      fused.dispose();
      unfused.dispose();
    },
  );

  it('finds the stem of a Sequential model too', async () => {
    await tf.setBackend(backend);
    const sequential = () =>
      tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [8, 8, 3], filters: 4, kernelSize: 3 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 2 }),
        ],
      });
    const [fused, unfused] = [sequential(), sequential()];
    unfused.setWeights(fused.getWeights());
    skipInputGradients(unfused);
    const x = tf.tensor4d(random.uniformArray(2 * 8 * 8 * 3, -1, 1), [2, 8, 8, 3]);
    const dy = tf.tensor2d(random.uniformArray(4, -1, 1), [2, 2]);
    const [a, b] = [await step(fused, x, dy), await step(unfused, x, dy)];
    expect(b.grads).toEqual(a.grads);
    expect(a.kernels).toContain('Conv2DBackpropInput');
    expect(b.kernels).not.toContain('Conv2DBackpropInput');
    tf.dispose([x, dy]);
    fused.dispose();
    unfused.dispose();
  });
});
