// Micro-benchmark of the memory-bound training kernels on the wasm backend at the shapes of the models'
// profiles: each JS kernel (typed-array loops over heap views, what ran before) against the SIMD module in
// place on the heap (src/streaming/streaming.wat); the stock ReLU gradient (Step, Cast, Multiply) against
// InvReluGrad; the stock AvgPoolGrad against the module's. Not a test: timings on a shared machine are only
// comparable within one run, so the two of each pair are measured in the same process, interleaved, as
// medians, with the load average printed.
//
//   pnpm --filter @inv/kernels build && node packages/kernels/scripts/bench-streaming.mjs [--quick]
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { heapTensor } from '../dist/adapters/wasm.js';
import { InvReluGrad, registerKernels, stockKernel } from '../dist/index.js';
import {
  floatBatchNormTraining,
  floatBatchNormTrainingGrad,
} from '../dist/typed_array/batch_norm_kernels.js';
import { leadingAxesReduction, sumRows } from '../dist/typed_array/leading_axes_sum.js';
import { maxPoolGradInfo, maxPoolGradTyped } from '../dist/typed_array/max_pool_grad.js';
import { reluGradTyped } from '../dist/typed_array/relu_grad.js';
import {
  batchNormTrainingGradWasmConfig,
  batchNormTrainingWasmConfig,
} from '../dist/wasm/batch_norm_wasm.js';
import { avgPoolGradWasmConfig } from '../dist/wasm/avg_pool_grad_wasm.js';
import { floatKernelWasmConfig } from '../dist/wasm/float_kernel_wasm.js';
import { maxPoolGradWasmConfig } from '../dist/wasm/max_pool_grad_wasm.js';
import { reluGradWasmConfig } from '../dist/wasm/relu_grad_wasm.js';
import { sumWasmConfig } from '../dist/wasm/sum_mean_wasm.js';

const REPS = process.argv.includes('--quick') ? 5 : 11;
await tf.setBackend('wasm');
await tf.ready();
registerKernels('wasm');
const backend = tf.backend();

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
/** Medians (ms) of each function, run interleaved; each call's outputs are freed. */
function race(fns) {
  const times = fns.map(() => []);
  for (let r = 0; r < REPS; r++)
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      const out = fn();
      times[k].push(performance.now() - t0);
      for (const t of [out].flat()) backend.disposeData(t.dataId);
    });
  return times.map(median);
}
const call =
  (kernelFunc, inputs, attrs = {}) =>
  () =>
    kernelFunc({ inputs, attrs, backend });
function report(name, [js, simd]) {
  console.log(
    `${name.padEnd(44)} JS ${js.toFixed(2).padStart(7)} ms   SIMD ${simd.toFixed(2).padStart(7)} ms   ×${(js / simd).toFixed(1)}`,
  );
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, ${REPS} interleaved runs, medians`,
);
for (const shape of [
  [256, 32, 32, 32],
  [64, 16, 16, 256],
]) {
  const C = shape[3];
  const x = tf.randomNormal(shape);
  const scale = tf.randomNormal([C]);
  const offset = tf.randomNormal([C]);
  const attrs = { epsilon: 1e-3, activation: 'relu' };
  report(
    `BatchNormTraining ${JSON.stringify(shape)} relu`,
    race([
      call(floatKernelWasmConfig(floatBatchNormTraining).kernelFunc, { x, scale, offset }, attrs),
      call(batchNormTrainingWasmConfig.kernelFunc, { x, scale, offset }, attrs),
    ]),
  );
  const [y, mean, variance] = tf.engine().runKernel('BatchNormTraining', { x, scale, offset }, attrs);
  const dy = tf.randomNormal(shape);
  const zeros = tf.zeros([C]);
  const gradInputs = { dy, x, y, scale, mean, variance, dMean: zeros, dVariance: zeros };
  report(
    `BatchNormTrainingGrad ${JSON.stringify(shape)} relu`,
    race([
      call(floatKernelWasmConfig(floatBatchNormTrainingGrad).kernelFunc, gradInputs, attrs),
      call(batchNormTrainingGradWasmConfig.kernelFunc, gradInputs, attrs),
    ]),
  );
  const flat = tf.reshape(x, [-1, C]);
  const sumAttrs = { axis: [0], keepDims: false };
  const r = leadingAxesReduction(flat, [0], false);
  report(
    `Sum over [${flat.shape}] axis 0`,
    race([
      () => heapTensor(backend, r.outShape, [flat], (out, src) => sumRows(src, r, 1, out)),
      call(sumWasmConfig.kernelFunc, { x: flat }, sumAttrs),
    ]),
  );
  report(
    `ReLU gradient ${JSON.stringify(shape)} (JS loop)`,
    race([
      () => heapTensor(backend, shape, [dy, x], (dx, g, v) => reluGradTyped(g, v, dx)),
      call(reluGradWasmConfig.kernelFunc, { dy, x }),
    ]),
  );
  // The stock gradient as tfjs runs it: three kernels (their outputs freed by tidy).
  const stockRelu = [];
  const fused = [];
  for (let k = 0; k < REPS; k++) {
    let t0 = performance.now();
    tf.tidy(() => {
      tf.mul(dy, tf.cast(tf.step(x), 'float32'));
    });
    stockRelu.push(performance.now() - t0);
    t0 = performance.now();
    tf.tidy(() => {
      tf.engine().runKernel(InvReluGrad, { dy, x });
    });
    fused.push(performance.now() - t0);
  }
  report(`ReLU gradient ${JSON.stringify(shape)} (stock Step+Cast+Mul)`, [median(stockRelu), median(fused)]);
  if (shape[1] % 2 === 0) {
    const pooled = tf.maxPool(x, 2, 2, 'valid');
    const g = tf.randomNormal(pooled.shape);
    const poolAttrs = { filterSize: 2, strides: 2, pad: 'valid' };
    const info = maxPoolGradInfo(x, poolAttrs);
    report(
      `MaxPoolGrad ${JSON.stringify(shape)} 2×2`,
      race([
        () => heapTensor(backend, shape, [x, g], (dx, xs, gs) => maxPoolGradTyped(xs, gs, info, dx)),
        call(maxPoolGradWasmConfig.kernelFunc, { dy: g, input: x, output: pooled }, poolAttrs),
      ]),
    );
    report(
      `AvgPoolGrad ${JSON.stringify(shape)} 2×2 (stock)`,
      race([
        call(stockKernel('AvgPoolGrad', 'wasm').kernelFunc, { dy: g, input: x }, poolAttrs),
        call(avgPoolGradWasmConfig.kernelFunc, { dy: g, input: x }, poolAttrs),
      ]),
    );
  }
  tf.dispose([x, scale, offset, y, mean, variance, dy, zeros, flat]);
}
