// What a user of the published packages writes, one documented entry per package. Compiled three ways by
// test/pack.test.ts in a folder outside the workspace: type-checked by tsc, run by Node as plain ESM, and run
// as one esbuild bundle. Prints `ok <what>` per step; any failure throws.
import * as tf from '@tensorflow/tfjs';
import { initBackend, involution, involution2d } from '@inv/core';
import { SOFTMAX_GENERATOR } from '@inv/generator-attention';
import { loadCifar10 } from '@inv/data';
import { createModel } from '@inv/models';
import { encodePng, heatmapColumns, heatmapGrid, kernelModel, renderScene, rgbImage } from '@inv/viz';

const [cifarDir, wasmDir] = process.argv.slice(2);
if (cifarDir === undefined) throw new Error('usage: usage.mjs CIFAR_DIR [WASM_DIR]');

function check(what: string, ok: boolean): void {
  if (!ok) throw new Error(`failed: ${what}`);
  console.log(`ok ${what}`);
}

// A bundle moves tfjs-backend-wasm's code away from its .wasm files: a bundling user points it at them.
if (wasmDir !== undefined) {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(wasmDir);
}
await initBackend('wasm', { threads: 1 });
check('wasm backend', tf.getBackend() === 'wasm');

// The op and its gradients.
const x = tf.randomNormal<tf.Rank.R4>([2, 6, 6, 4], 0, 1, 'float32', 1);
const kernel = tf.randomNormal<tf.Rank.R5>([2, 6, 6, 9, 2], 0, 1, 'float32', 2);
const options = {
  kernelSize: 3,
  stride: 1,
  dilation: 1,
  padding: 'same',
  groupLayout: 'contiguous',
} as const;
const y = involution2d(x, kernel, options);
const [dx, dKernel] = tf.grads((a, k) => involution2d(a as tf.Tensor4D, k as tf.Tensor5D, options).sum())([
  x,
  kernel,
]);
check(
  'involution2d + gradients',
  y.shape.join() === '2,6,6,4' &&
    dx!.shape.join() === x.shape.join() &&
    dKernel!.shape.join() === kernel.shape.join(),
);

// An Involution layer with the plugin's generator, saved and loaded (the model.json a file would hold).
const layerModel = tf.sequential({
  layers: [
    involution({ inputShape: [6, 6, 4], kernelSize: 3, groups: 2, generator: SOFTMAX_GENERATOR, seed: 3 }),
  ],
});
let saved: tf.io.ModelArtifacts | undefined;
await layerModel.save(
  tf.io.withSaveHandler(async (artifacts) => {
    // Through JSON, as model.json on disk: the layer's config must survive it.
    saved = { ...artifacts, modelTopology: JSON.parse(JSON.stringify(artifacts.modelTopology)) as object };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }),
);
const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
const difference = tf
  .sub(layerModel.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)
  .abs()
  .max();
check('Involution layer (softmax generator) saved and loaded', (await difference.data())[0]! < 1e-6);

// CIFAR-10 from a folder in the official binary layout.
const test = await loadCifar10({ dir: cifarDir, split: 'test', limit: 8 });
check('loadCifar10', test.size === 8 && test.images.length === 8 * 32 * 32 * 3);

// A reference model and one training step on those images.
const model = createModel('seed-inv');
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
const images = tf.div(tf.tensor4d(test.images, [8, 32, 32, 3], 'float32'), 255) as tf.Tensor4D;
const loss = (await model.trainOnBatch(images, tf.tensor1d(test.labels, 'float32'))) as number;
check('createModel + one training step', Number.isFinite(loss));

// The kernels of its involution layers as a heatmap PNG.
const columns = await heatmapColumns(kernelModel(model), images.slice(0, 2), 'sum', 'image');
const inputs = [0, 1].map((i) => rgbImage(test.images.subarray(i * 3072, (i + 1) * 3072), 32, 32));
const png = encodePng(renderScene(heatmapGrid(inputs, columns)));
check('heatmap PNG', png[1] === 0x50 && png[2] === 0x4e && png[3] === 0x47);
