/**
 * A generator defined outside the package, with only the public API: registered, used in a layer, trained
 * through, saved and loaded with its (case- and underscore-laden) name and config intact; a plugin's package
 * saved with the layer and named when a model is loaded without it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  initBackend,
  involution,
  registerKernelGenerator,
  type KernelGeneratorConfig,
  type KernelGeneratorFactory,
} from '../src/index.js';
import { useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('generators_custom.test.ts', beforeEach);

// Names and values that tfjs-layers' snake/camel-case conversions would mangle if saved as they are.
const NAME = 'my_Tanh-Generator';
const CONFIG: KernelGeneratorConfig = {
  scale_Factor: 0.5,
  note: 'Mixed_Case value, Él 100%',
  nested: { innerKey_x: [1, 'A_b'] },
};

/** Every config the factory was built with, to show what came back from a saved model. */
const seenConfigs: KernelGeneratorConfig[] = [];

/** kernel = scale · tanh(x·W) at every pixel of the stride-pooled input. */
const tanhGenerator: KernelGeneratorFactory = (context) => {
  seenConfigs.push(context.config);
  const taps = context.kernelSize * context.kernelSize;
  const projection = context.addWeight(
    'projection',
    [context.channels, taps * context.groups],
    tf.initializers.glorotUniform({}),
  );
  const scale = context.config['scale_Factor'] as number;
  return {
    generate: (x) =>
      tf.tidy(() => {
        const pooled = context.stride > 1 ? tf.avgPool(x, context.stride, context.stride, 'same') : x;
        const [b, h, w] = pooled.shape;
        const logits = tf.matMul(
          tf.reshape(pooled, [-1, context.channels]),
          projection.read() as tf.Tensor2D,
        );
        return tf.reshape(tf.mul(tf.tanh(logits), scale), [b, h, w, taps, context.groups]);
      }),
  };
};

/** What `model.save` writes. */
async function saved(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return artifacts!;
}

beforeAll(async () => {
  await initBackend('cpu');
  registerKernelGenerator(NAME, tanhGenerator);
});

describe('a generator registered from outside the package', () => {
  it('is used by the layer, trains, and survives save → load', async () => {
    const input = tf.input({ shape: [null, null, 4] });
    const layer = involution({
      kernelSize: 3,
      stride: 2,
      groups: 2,
      generator: { name: NAME, config: CONFIG },
      returnKernel: true,
    });
    const [output, kernel] = layer.apply(input) as tf.SymbolicTensor[];
    const model = tf.model({ inputs: input, outputs: [output!, kernel!] });
    expect(layer.weights.map((w) => w.originalName)).toEqual([`${layer.name}/projection`]);

    const x = random.tensorNormal([2, 9, 7, 4]);
    const [y, k] = model.predict(x) as tf.Tensor[];
    expect(y!.shape).toEqual([2, 5, 4, 4]);
    expect(k!.shape).toEqual([2, 5, 4, 9, 2]);
    // The kernel is the generator's: bounded by its scale.
    expect(tf.max(tf.abs(k!)).dataSync()[0]).toBeLessThanOrEqual(0.5);

    const projection = layer.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square((layer.apply(x) as tf.Tensor[])[0]!)) as tf.Scalar,
      [projection],
    );
    const projectionGrad = grads[projection.name];
    expect(tf.max(tf.abs(projectionGrad!)).dataSync()[0]).toBeGreaterThan(0);

    const artifacts = await saved(model);
    seenConfigs.length = 0;
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
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

describe('a generator registered by a plugin package', () => {
  it('saves the package with the layer and names it when a model is loaded without the generator', async () => {
    const factory: KernelGeneratorFactory = (context) =>
      tanhGenerator({ ...context, config: { scale_Factor: 1 } });
    registerKernelGenerator('plugin-tanh', factory, { package: '@scope/inv-plugin' });
    const input = tf.input({ shape: [6, 6, 2] });
    const model = tf.model({
      inputs: input,
      outputs: involution({ kernelSize: 3, generator: 'plugin-tanh' }).apply(input) as tf.SymbolicTensor,
    });
    const artifacts = await saved(model);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = random.tensorNormal([1, 6, 6, 2]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );

    // The same model as another process saves it with a generator of that plugin that is not registered here.
    const topology = JSON.stringify(artifacts.modelTopology);
    expect(topology).toContain('@scope/inv-plugin');
    const elsewhere = {
      ...artifacts,
      modelTopology: JSON.parse(
        topology.replaceAll('plugin-tanh', 'plugin-absent'),
      ) as tf.io.ModelArtifacts['modelTopology'],
    };
    await expect(tf.loadLayersModel(tf.io.fromMemory(elsewhere))).rejects.toThrow(
      /Involution config: kernel generator 'plugin-absent' is not registered: it is provided by @scope\/inv-plugin; import that package before loading \(registered: 'reduce-expand', .*'plugin-tanh'\)/,
    );
  });
});
