/* global process, performance, console */
// CIFAR-10 throughput: loading all six files, then one epoch of 256-image float batches with and without
// augmentation. Runs the built package (`pnpm nx run data:bench` builds first). Data: argv[2], else
// INV_CIFAR10_DIR, else <repo>/../shared/datasets/cifar10/cifar-10-batches-bin.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { batchIterator, loadCifar10 } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const dir =
  process.argv[2] ??
  process.env.INV_CIFAR10_DIR ??
  resolve(here, '../../../../shared/datasets/cifar10/cifar-10-batches-bin');
await tf.setBackend('cpu');

const rate = (images, ms) => `${Math.round((images / ms) * 1000).toLocaleString('en-US')} images/s`;

let start = performance.now();
const [train, test] = await Promise.all([loadCifar10({ dir }), loadCifar10({ dir, split: 'test' })]);
const loadMs = performance.now() - start;
console.log(
  `load    ${train.size + test.size} images from ${dir}: ${loadMs.toFixed(0)} ms, ${rate(train.size + test.size, loadMs)}`,
);

const cases = [
  ['batches ÷255, shuffled', { normalization: 'scale' }],
  ['batches ÷255, shuffled, crop+flip', { normalization: 'scale', augment: true }],
  ['batches mean/std, shuffled, crop+flip', { normalization: 'standardize', augment: true }],
];
for (const [name, options] of cases) {
  start = performance.now();
  let images = 0;
  for await (const { xs, ys } of batchIterator(train, { batchSize: 256, seed: 1, ...options })) {
    images += xs.shape[0];
    tf.dispose([xs, ys]);
  }
  const ms = performance.now() - start;
  console.log(`${name.padEnd(38)} ${images} images: ${ms.toFixed(0)} ms, ${rate(images, ms)}`);
}
