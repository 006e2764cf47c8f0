// Temporary (not committed): training-step time on wasm with the SIMD streaming kernels (after) against the
// JS kernels and the stock ReLU gradient (before), swapped in the same process, interleaved.
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import { createModel } from '@inv/models';
import { KERNEL_TABLE } from '@inv/kernels';
const K = '/work/main/packages/kernels/dist/';
const { floatKernelWasmConfig } = await import(K + 'wasm/float_kernel_wasm.js');
const { floatBatchNormTraining, floatBatchNormTrainingGrad } = await import(K + 'typed_array/batch_norm_kernels.js');
const { heapTensor } = await import(K + 'adapters/wasm.js');
const { leadingAxesReduction, reductionScale, sumRows } = await import(K + 'typed_array/leading_axes_sum.js');
const { maxPoolGradInfo, maxPoolGradTyped } = await import(K + 'typed_array/max_pool_grad.js');
const { runStockKernel, stockKernel } = await import(K + 'stock_kernels.js');

await initBackend('wasm');
const sumJs = (name) => ({
  kernelName: name, backendName: 'wasm',
  kernelFunc: (args) => {
    const x = args.inputs.x;
    const r = leadingAxesReduction(x, args.attrs.axis, args.attrs.keepDims);
    if (r === undefined) return runStockKernel(name, 'wasm', args);
    return heapTensor(args.backend, r.outShape, [x], (out, src) => sumRows(src, r, reductionScale(name, r), out));
  },
});
const before = [
  floatKernelWasmConfig(floatBatchNormTraining),
  floatKernelWasmConfig(floatBatchNormTrainingGrad),
  sumJs('Sum'), sumJs('Mean'),
  { ...stockKernel('AvgPoolGrad', 'wasm'), setupFunc: undefined },
  { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: ({ inputs, backend, attrs }) => {
    const info = maxPoolGradInfo(inputs.input, attrs);
    return heapTensor(backend, inputs.input.shape, [inputs.input, inputs.dy], (dx, x, g) => maxPoolGradTyped(x, g, info, dx));
  } },
];
const after = before.map((b) => KERNEL_TABLE.find((e) => e.backend === 'wasm' && e.kernelName === b.kernelName).config.kernel);
const reluAfter = KERNEL_TABLE.find((e) => e.kernelName === 'Relu').config.gradient;
const reluBefore = { kernelName: 'Relu', inputsToSave: ['x'], gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy, tf.cast(tf.step(x), 'float32')) }) };
function use(configs, relu) {
  for (const c of configs) { tf.unregisterKernel(c.kernelName, 'wasm'); tf.registerKernel(c); }
  tf.registerGradient(relu);
}
const [name, batch, reps] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4] ?? 5)];
const model = createModel(name, { inputShape: [32, 32, 3], numClasses: 10, seed: 1 });
const optimizer = tf.train.adam();
const variables = model.trainableWeights.map((w) => w.read());
const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 1);
const labels = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 2), 10);
const loss = () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }));
const step = () => { const t0 = performance.now(); const l = optimizer.minimize(loss, true, variables); l.dataSync(); l.dispose(); return performance.now() - t0; };
const times = { before: [], after: [] };
use(before, reluBefore); step(); use(after, reluAfter); step();
for (let r = 0; r < reps; r++) {
  use(before, reluBefore); times.before.push(step());
  use(after, reluAfter); times.after.push(step());
}
const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
const min = (a) => Math.min(...a);
console.log(`${name} batch ${batch}: min before ${min(times.before).toFixed(0)}, after ${min(times.after).toFixed(0)} (×${(min(times.before) / min(times.after)).toFixed(2)}); median before ${med(times.before).toFixed(0)} ms, after ${med(times.after).toFixed(0)} ms (×${(med(times.before) / med(times.after)).toFixed(2)}; load ${loadavg()[0].toFixed(2)}; ${reps} interleaved pairs, medians; before ${times.before.map(Math.round)}, after ${times.after.map(Math.round)})`);
