// The probe behind the kernel generators' `init: 'static'` (docs/03-kernel-generators.md). One model with three
// spatial blocks (conv stem + BN-ReLU; two blocks at 16×16, one at 8×8, each a spatial op, a 1×1 conv and
// BN-ReLU; Dense 64 + Dense 10), the spatial op being a 3×3 depthwise conv, an involution whose kernel generator
// starts 'glorot' (the seed's), or one that starts 'static'. Each trains the same Adam steps (lr 1e-3, batch 64)
// on the first images of the CIFAR-10 training split, from the same seeds, and reports its mean loss over the
// last 20 steps (ln 10 = 2.30 is chance).
//
//   node apps/trainer/scripts/deep_stack_probe.mjs [--data-dir DIR] [--steps 100] [--images 6400] [--backend wasm]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormalization, initBackend, involution } from '@inv/core';
import { loadCifar10 } from '@inv/data';

const { values } = parseArgs({
  options: {
    'data-dir': {
      type: 'string',
      default: process.env.INV_CIFAR10_DIR ?? '../shared/datasets/cifar10/cifar-10-batches-bin',
    },
    steps: { type: 'string', default: '100' },
    images: { type: 'string', default: '6400' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const steps = Number(values.steps);
const images = Number(values.images);
const BATCH = 64;
if (!(steps >= 20) || !(images >= BATCH)) throw new Error(`--steps must be >= 20 and --images >= ${BATCH}`);

await initBackend(values.backend);
const data = await loadCifar10({ dir: values['data-dir'], split: 'train', limit: images });
const x = tf.tensor4d(
  Float32Array.from(data.images, (v) => v / 255),
  [images, 32, 32, 3],
);
const y = tf.oneHot(tf.tensor1d(Array.from(data.labels), 'int32'), 10);

/** The spatial op of each block, by variant. */
const SPATIAL = {
  depthwise: (seed) =>
    tf.layers.depthwiseConv2d({
      kernelSize: 3,
      padding: 'same',
      depthwiseInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  'involution, glorot start': (seed) =>
    involution({ kernelSize: 3, groupChannels: 16, reductionRatio: 2, seed }),
  'involution, static start': (seed) =>
    involution({
      kernelSize: 3,
      groupChannels: 16,
      reductionRatio: 2,
      seed,
      generator: { name: 'reduce-expand', config: { init: 'static' } },
    }),
};

function build(spatial) {
  let seed = 1;
  const glorot = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: seed++ }) });
  const bnRelu = (t) => fusedBatchNormalization({ activation: 'relu' }).apply(t);
  const conv = (t, filters, kernelSize) =>
    tf.layers.conv2d({ filters, kernelSize, padding: 'same', useBias: false, ...glorot() }).apply(t);
  const input = tf.input({ shape: [32, 32, 3] });
  let t = bnRelu(conv(input, 32, 3));
  for (const blocks of [2, 1]) {
    t = tf.layers.maxPooling2d({ poolSize: 2 }).apply(t);
    for (let b = 0; b < blocks; b++) t = bnRelu(conv(spatial(seed++).apply(t), 64, 1));
  }
  t = tf.layers.dense({ units: 64, activation: 'relu', ...glorot() }).apply(tf.layers.flatten().apply(t));
  return tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10, ...glorot() }).apply(t) });
}

console.log(`| spatial op | mean loss, steps ${steps - 19}–${steps} |\n| --- | --- |`);
for (const [name, spatial] of Object.entries(SPATIAL)) {
  const model = build(spatial);
  const optimizer = tf.train.adam(1e-3);
  const variables = model.trainableWeights.map((w) => w.read());
  let tail = 0;
  for (let step = 0; step < steps; step++) {
    const start = (step * BATCH) % (images - BATCH + 1);
    const [xs, ys] = [x.slice(start, BATCH), y.slice(start, BATCH)];
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true })),
      true,
      variables,
    );
    if (step >= steps - 20) tail += loss.dataSync()[0] / 20;
    tf.dispose([loss, xs, ys]);
  }
  console.log(`| ${name} | ${tail.toFixed(3)} |`);
  model.dispose();
  optimizer.dispose();
}
