/**
 * FusedBatchNormalization against tfjs-layers' BatchNormalization (+ ReLU) on fresh random inputs: outputs
 * in training and inference mode, the moving statistics, every gradient; save → load; bad arguments.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fusedBatchNormalization, initBackend, type BatchNormActivation } from '../src/index.js';
import { saveAndLoad } from './helpers/save_and_load.js';
import { relativeError, useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('batch_normalization_layer.test.ts', beforeEach);

beforeAll(async () => {
  await initBackend('cpu');
});

async function expectClose(actual: tf.Tensor, expected: tf.Tensor, tolerance: number, what: string) {
  const [a, e] = await Promise.all([actual.data(), expected.data()]);
  expect(actual.shape, what).toEqual(expected.shape);
  expect(relativeError(a, e, 1), what).toBeLessThan(tolerance);
}

/** Ours and the stock layer (+ ReLU) on the same input, with the same random gamma, beta and moving statistics. */
function pair(activation: BatchNormActivation, channels: number) {
  const input = tf.input({ shape: [5, 6, channels] });
  const ours = fusedBatchNormalization({ activation, momentum: 0.9 });
  const stock = tf.layers.batchNormalization({ momentum: 0.9 });
  const oursModel = tf.model({ inputs: input, outputs: ours.apply(input) as tf.SymbolicTensor });
  const stockOut = stock.apply(input) as tf.SymbolicTensor;
  const stockModel = tf.model({
    inputs: input,
    outputs: activation === 'relu' ? (tf.layers.reLU().apply(stockOut) as tf.SymbolicTensor) : stockOut,
  });
  const weights = [
    random.tensorNormal([channels]),
    random.tensorNormal([channels]),
    random.tensorNormal([channels]),
    random.tensorUniform([channels], 0.5, 2),
  ];
  ours.setWeights(weights);
  stock.setWeights(weights);
  return { ours, stock, oursModel, stockModel };
}

describe.each(['linear', 'relu'] as const)('FusedBatchNormalization, %s', (activation) => {
  it('matches tfjs-layers in training mode: output, moving statistics and gradients', async () => {
    const { ours, stock, oursModel, stockModel } = pair(activation, 7);
    const x = random.tensorNormal([4, 5, 6, 7], 2, 3);
    const w = random.tensorNormal([4, 5, 6, 7]);
    const run = (model: tf.LayersModel) =>
      tf.variableGrads(
        () => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, w)) as tf.Scalar,
        model.trainableWeights.map((v) => v.read() as tf.Variable),
      );
    const oursGrads = run(oursModel);
    const stockGrads = run(stockModel);
    await expectClose(oursGrads.value, stockGrads.value, 1e-5, 'loss');
    const names = Object.keys(stockGrads.grads);
    expect(Object.keys(oursGrads.grads)).toHaveLength(names.length);
    for (const [i, g] of Object.values(oursGrads.grads).entries()) {
      await expectClose(g, stockGrads.grads[names[i]!]!, 1e-4, `gradient ${i}`);
    }
    const dx = (model: tf.LayersModel) =>
      tf.grad((input: tf.Tensor) => tf.sum(tf.mul(model.apply(input, { training: true }) as tf.Tensor, w)))(
        x,
      );
    await expectClose(dx(oursModel), dx(stockModel), 1e-4, 'dx');
    // Each training call above moved the statistics; both layers saw the same batches.
    for (const i of [2, 3])
      await expectClose(ours.getWeights()[i]!, stock.getWeights()[i]!, 1e-5, `moving ${i}`);
  });

  it('matches tfjs-layers in inference mode and after save → load', async () => {
    const { oursModel, stockModel } = pair(activation, 3);
    const x = random.tensorNormal([2, 5, 6, 3], 1, 2);
    const expected = stockModel.predict(x) as tf.Tensor;
    await expectClose(oursModel.predict(x) as tf.Tensor, expected, 1e-5, 'inference');
    const loaded = await saveAndLoad(oursModel);
    expect(loaded.layers[1]!.getClassName()).toBe('FusedBatchNormalization');
    await expectClose(loaded.predict(x) as tf.Tensor, expected, 1e-5, 'loaded');
  });
});

describe('FusedBatchNormalization arguments', () => {
  it('a frozen layer normalises with its moving statistics, as Keras does', async () => {
    const layer = fusedBatchNormalization();
    const x = random.tensorNormal([3, 4, 4, 2], 5, 2);
    layer.apply(x);
    layer.trainable = false;
    await expectClose(
      layer.apply(x, { training: true }) as tf.Tensor,
      layer.apply(x) as tf.Tensor,
      1e-7,
      'frozen',
    );
  });

  it('says what is wrong', () => {
    expect(() => fusedBatchNormalization({ momentum: 1.5 })).toThrow(/momentum must be in \[0, 1\], got 1.5/);
    expect(() => fusedBatchNormalization({ epsilon: -1 })).toThrow(/epsilon must be > 0, got -1/);
    expect(() => fusedBatchNormalization({ activation: 'tanh' as BatchNormActivation })).toThrow(
      /activation must be 'linear' or 'relu', got 'tanh'/,
    );
    expect(() => fusedBatchNormalization({ name: 'bn' }).apply(tf.input({ shape: [null] }))).toThrow(
      /'bn'.*known last \(channel\) dimension/,
    );
  });
});
