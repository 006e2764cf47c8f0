// One training step of a model, timed and profiled kernel by kernel: the step as the `train` suite takes it
// (prepareTrainStep: Adam, training mode, a fixed-seed batch), the median of STEPS (default 3) after at least
// 1 s of warm-up steps (the JIT settles), then tf.profile's kernel times summed by kernel name, largest first.
// For finding where a step's time goes, and for A/B runs of an engine change (many steps, runs interleaved);
// the numbers to quote against the peer come from the `train` suite, with the peer in the same run.
//
//   pnpm nx run bench:build && node packages/bench/scripts/profile-step.mjs [MODEL=resinv] [BACKEND=wasm] [BATCH=128] [GENERATOR]
//   INV_THREADS=1 node packages/bench/scripts/profile-step.mjs seed-inv wasm 256   # on one engine thread
//   STEPS=80 node packages/bench/scripts/profile-step.mjs seed-inv wasm 256       # a steadier median
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
  const outputs = step.run();
  await outputs[0].data();
  tf.dispose(outputs);
};
const steps = Number(process.env.STEPS ?? 3);
if (!Number.isInteger(steps) || steps < 1)
  throw new Error(`STEPS: expected a positive integer, got ${process.env.STEPS}`);
const warmupStart = performance.now();
for (let i = 0; i < 2 || performance.now() - warmupStart < 1000; i++) await run();
const times = [];
for (let i = 0; i < steps; i++) {
  const start = performance.now();
  await run();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const info = await tf.profile(() => step.run());
tf.dispose(info.result);
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
  `${name}${generator === undefined ? '' : ` (${generator})`} batch ${batch} on ${tf.getBackend()}: step median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} (${Math.round((batch * 1000) / median)} images/s); profiled kernels sum ${total.toFixed(0)} ms`,
);
for (const [kernel, { ms, calls }] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(
    `${kernel.padEnd(30)} ${ms.toFixed(1).padStart(8)} ms ${String(calls).padStart(5)} calls ${((100 * ms) / total).toFixed(1).padStart(5)}%`,
  );
step.dispose();
