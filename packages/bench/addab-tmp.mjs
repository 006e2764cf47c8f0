import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import { stockKernel } from '@inv/kernels';
await initBackend('wasm');
const stock = stockKernel(tf.Add, 'wasm');
const time = async (f) => { for (let i=0;i<3;i++) tf.dispose(f()); const t=[]; for (let i=0;i<9;i++){const s=performance.now(); const r=f(); t.push(performance.now()-s); tf.dispose(r);} t.sort((a,b)=>a-b); return t[4]; };
for (const [as, bs] of [[[128,32,32,64],[128,32,32,64]],[[128,32,32,64],[64]],[[256,32,32,3],[256,32,32,3]],[[256,32,32,9],[9]],[[128,8,8,216],[128,8,8,216]], [[64,512],[64,512]]]) {
  const a = tf.randomNormal(as), b = tf.randomNormal(bs);
  const ours = await time(() => tf.add(a,b));
  const theirs = await time(() => tf.engine().makeTensorFromTensorInfo(stock.kernelFunc({inputs:{a,b}, attrs:{}, backend: tf.backend()})));
  console.log(JSON.stringify(as), JSON.stringify(bs), 'ours', ours.toFixed(2), 'stock', theirs.toFixed(2), (theirs/ours).toFixed(2)+'x');
}
