// usage: node /tmp/step.mjs MODEL BATCH engine|stock [reps]
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import { createModel } from '@inv/models';
const [model, batchS, mode, repsS] = process.argv.slice(2);
const batch = +batchS, reps = +(repsS ?? 5);
tf.env().set('PROD', true);
await initBackend(process.env.BK ?? 'wasm');
const m = createModel(model, { inputShape: [32, 32, 3], numClasses: 10, seed: 1 });
const opt = tf.train.adam();
const vars = m.trainableWeights.map((w) => w.read());
const x = tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 5);
const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32', 6), 10);
const loss = () => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }));
const times = [];
for (let i = 0; i < reps + 1; i++) {
  const t0 = performance.now();
  const l = opt.minimize(loss, true, vars);
  const v = l.dataSync()[0];
  l.dispose();
  times.push(performance.now() - t0);
  if (i === 0) console.log('first loss', v);
}
times.shift(); times.sort((a, b) => a - b);
const med = times[Math.floor(times.length / 2)];
console.log(model, batch, mode, tf.getBackend(), 'median ms', med.toFixed(1), 'img/s', (batch / med * 1000).toFixed(1));
process.exit(0);
