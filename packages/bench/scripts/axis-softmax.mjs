// axisSoftmax (one engine kernel each way) against what the softmax generator ran before it, the stock
// `exp(z − logSumExp z)` over the taps, at a softmax generator's kernel shape [B, H, W, K², G]: forward, and
// forward + backward (the gradient of Σ softmax·w), the median of 5 after 2 warm-ups, in one process.
//
//   pnpm nx run bench:build && node packages/bench/scripts/axis-softmax.mjs [BACKEND=wasm] [SHAPE=128,32,32,9,3]
//   INV_THREADS=1 node packages/bench/scripts/axis-softmax.mjs    # on one engine thread
import * as tf from '@tensorflow/tfjs-core';
import { axisSoftmax, initBackend } from '@inv/core';

const [backend = 'wasm', shapeText = '128,32,32,9,3'] = process.argv.slice(2);
const shape = shapeText.split(',').map(Number);
if (shape.length !== 5 || !shape.every((d) => Number.isInteger(d) && d > 0))
  throw new Error(`SHAPE: expected five positive integers B,H,W,K²,G, got '${shapeText}'`);
await initBackend(backend);
const x = tf.randomNormal(shape, 0, 1, 'float32', 1);
const w = tf.randomNormal(shape, 0, 1, 'float32', 2);
const softmaxes = {
  'stock exp(z − logSumExp z)': (z) => tf.exp(tf.sub(z, tf.logSumExp(z, 3, true))),
  axisSoftmax: (z) => axisSoftmax(z, 3),
};
const median = async (f) => {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const out = f();
    await out.data();
    out.dispose();
    if (i >= 2) times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2];
};
console.log(`[${shape.join(', ')}] on ${tf.getBackend()}, softmax over axis 3 (ms, median of 5)`);
for (const [name, softmax] of Object.entries(softmaxes)) {
  const forward = await median(() => softmax(x));
  const both = await median(() => tf.grad((z) => tf.sum(tf.mul(softmax(z), w)))(x));
  console.log(
    `${name.padEnd(28)} forward ${forward.toFixed(1).padStart(7)}  forward + backward ${both.toFixed(1).padStart(7)}`,
  );
}
