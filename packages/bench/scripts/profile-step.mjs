// One training step of a model, timed and profiled kernel by kernel: the step as the `train` suite takes it
// (prepareTrainStep: Adam, training mode, a fixed-seed batch), the median of 3 after 2 warm-up steps, then
// tf.profile's kernel times summed by kernel name, largest first. For finding where a step's time goes; the
// numbers to quote come from the `train` suite, with the peer in the same run.
//
//   pnpm nx run bench:build && node packages/bench/scripts/profile-step.mjs [MODEL=resinv] [BACKEND=wasm] [BATCH=128] [GENERATOR]
//   INV_THREADS=1 node packages/bench/scripts/profile-step.mjs seed-inv wasm 256   # on one engine thread
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import '@inv/generator-attention';
import { prepareTrainStep } from '../dist/suites/train_step.js';

const [name = 'resinv', backend = 'wasm', batchText = '128', generator] = process.argv.slice(2);
const batch = Number(batchText);
if (!Number.isInteger(batch) || batch < 1)
  throw new Error(`BATCH: expected a positive integer, got ${batchText}`);
await initBackend(backend);
const step = prepareTrainStep(name, batch, generator === undefined ? {} : { generator });
const run = async () => {
  const [loss] = step.run();
  await loss.data();
  loss.dispose();
};
for (let i = 0; i < 2; i++) await run();
const times = [];
for (let i = 0; i < 3; i++) {
  const start = performance.now();
  await run();
  times.push(performance.now() - start);
}
const median = times.sort((a, b) => a - b)[1];
const info = await tf.profile(() => step.run()[0]);
const byKernel = new Map();
let total = 0;
for (const kernel of info.kernels) {
  const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
  total += ms;
  const entry = byKernel.get(kernel.name) ?? { ms: 0, calls: 0 };
  entry.ms += ms;
  entry.calls += 1;
  byKernel.set(kernel.name, entry);
}
console.log(
  `${name}${generator === undefined ? '' : ` (${generator})`} batch ${batch} on ${tf.getBackend()}: step ${median.toFixed(0)} ms (${Math.round((batch * 1000) / median)} images/s); profiled kernels sum ${total.toFixed(0)} ms`,
);
for (const [kernel, { ms, calls }] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(
    `${kernel.padEnd(30)} ${ms.toFixed(1).padStart(8)} ms ${String(calls).padStart(5)} calls ${((100 * ms) / total).toFixed(1).padStart(5)}%`,
  );
step.dispose();
