/**
 * A generator defined outside the package, with only the public API: registered, used in a layer, trained
 * through, saved and loaded with its (case- and underscore-laden) name and config intact.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, involution, registerKernelGenerator, type KernelGeneratorConfig, type KernelGeneratorFactory } from '../src/index.js';

// Names and values that tfjs-layers' snake/camel-case conversions would mangle if saved as they are.
const NAME = 'my_Tanh-Generator';
const CONFIG: KernelGeneratorConfig = { scale_Factor: 0.5, note: 'Mixed_Case value, Él 100%', nested: { innerKey_x: [1, 'A_b'] } };

/** Every config the factory was built with, to show what came back from a saved model. */
const seenConfigs: KernelGeneratorConfig[] = [];

/** kernel = scale · tanh(x·W) at every pixel of the stride-pooled input. */
const tanhGenerator: KernelGeneratorFactory = (context) => {
  seenConfigs.push(context.config);
  const taps = context.kernelSize * context.kernelSize;
  const projection = context.addWeight('projection', [context.channels, taps * context.groups], tf.initializers.glorotUniform({}));
  const scale = context.config['scale_Factor'] as number;
  return {
    generate: (x) =>
      tf.tidy(() => {
        const pooled = context.stride > 1 ? tf.avgPool(x, context.stride, context.stride, 'same') : x;
        const [b, h, w] = pooled.shape;
        const logits = tf.matMul(tf.reshape(pooled, [-1, context.channels]), projection.read() as tf.Tensor2D);
        return tf.reshape(tf.mul(tf.tanh(logits), scale), [b, h, w, taps, context.groups]);
      }),
  };
};

beforeAll(async () => {
  await initBackend('cpu');
  registerKernelGenerator(NAME, tanhGenerator);
});

describe('a generator registered from outside the package', () => {
  it('is used by the layer, trains, and survives save → load', async () => {
    const input = tf.input({ shape: [null, null, 4] });
    const layer = involution({ kernelSize: 3, stride: 2, groups: 2, generator: { name: NAME, config: CONFIG }, returnKernel: true });
    const [output, kernel] = layer.apply(input) as tf.SymbolicTensor[];
    const model = tf.model({ inputs: input, outputs: [output!, kernel!] });
    expect(layer.weights.map((w) => w.originalName)).toEqual([`${layer.name}/projection`]);

    const x = tf.randomNormal([2, 9, 7, 4]);
    const [y, k] = model.predict(x) as tf.Tensor[];
    expect(y!.shape).toEqual([2, 5, 4, 4]);
    expect(k!.shape).toEqual([2, 5, 4, 9, 2]);
    // The kernel is the generator's: bounded by its scale.
    expect(tf.max(tf.abs(k!)).dataSync()[0]).toBeLessThanOrEqual(0.5);

    const projection = layer.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(tf.square((layer.apply(x) as tf.Tensor[])[0]!)) as tf.Scalar, [projection]);
    const projectionGrad = grads[projection.name];
    expect(tf.max(tf.abs(projectionGrad!)).dataSync()[0]).toBeGreaterThan(0);

    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    seenConfigs.length = 0;
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(seenConfigs).toEqual([CONFIG]);
    const loadedLayer = loaded.layers[1]!;
    expect(loadedLayer.getConfig()['generator']).toEqual(layer.getConfig()['generator']);
    const [y2, k2] = loaded.predict(x) as tf.Tensor[];
    expect(Array.from(y2!.dataSync())).toEqual(Array.from(y!.dataSync()));
    expect(Array.from(k2!.dataSync())).toEqual(Array.from(k!.dataSync()));
  });

  it('gets a clear error when it returns the wrong shape', () => {
    registerKernelGenerator('wrong-shape', () => ({ generate: (x) => tf.zeros([x.shape[0], 1, 1, 9, 1]) }));
    const layer = involution({ kernelSize: 3, generator: 'wrong-shape', name: 'bad' });
    expect(() => layer.apply(tf.zeros([1, 4, 5, 2]))).toThrow(
      "Involution 'bad': kernel generator 'wrong-shape' returned a kernel of shape [1, 1, 1, 9, 1], expected [1, 4, 5, 9, 1]",
    );
  });
});
