import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import { createModel } from '@inv/models';
const [model, batchS, mode] = process.argv.slice(2);
const batch = +batchS;
tf.env().set('PROD', true);
await initBackend(process.env.BK ?? 'wasm');

const m = createModel(model, { inputShape: [32, 32, 3], numClasses: 10, seed: 1 });
const opt = tf.train.adam();
const vars = m.trainableWeights.map((w) => w.read());
const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 5);
const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 6), 10);
const loss = () => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }));
opt.minimize(loss, true, vars).dispose();
const t0 = performance.now();
const info = await tf.profile(() => { const l = opt.minimize(loss, true, vars); l.dataSync(); return l; });
const total = performance.now() - t0;
const by = new Map();
for (const k of info.kernels) { const key = k.name; const e = by.get(key) ?? { ms: 0, n: 0 }; e.ms += k.kernelTimeMs; e.n++; by.set(key, e); }
const rows = [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
console.log(model, mode, 'step (profiled) ms', total.toFixed(0));
for (const [k, e] of rows) console.log(k.padEnd(28), e.ms.toFixed(1).padStart(8), e.n);
if (process.env.DETAIL) for (const k of info.kernels.filter(k=>k.name===process.env.DETAIL)) console.log(k.name, JSON.stringify(k.inputShapes), k.kernelTimeMs.toFixed(1));
process.exit(0);
