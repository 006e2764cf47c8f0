/**
 * The backend adapters against the stock kernels: what they read is what the backend holds, what they make
 * is what the stock Identity would (cheap checks, on fresh random data).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  backendHeap,
  cpuFloats,
  cpuTensor,
  heapFloats,
  heapOutput,
  heapTensor,
  shareTensor,
  stockKernel,
} from '../src/index.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { useTestSeed } from './helpers/random.js';

const random = useTestSeed('adapters.test.ts');

const backends = await availableTestBackends();
const randomArray = (n: number) => Float32Array.from({ length: n }, () => random.uniform());

/** The stock Identity's copy of `x` on the active backend, as values. */
function stockIdentity(x: tf.Tensor): Float32Array {
  const info = stockKernel(tf.Identity, tf.getBackend()).kernelFunc({
    inputs: { x },
    backend: tf.backend(),
    attrs: {},
  }) as tf.TensorInfo;
  const copy = tf.engine().makeTensorFromTensorInfo(info);
  const values = copy.dataSync() as Float32Array;
  copy.dispose();
  return values;
}

describe.runIf(backends.includes('cpu'))('cpu adapter', () => {
  it('reads the backend own array and adopts a new one', async () => {
    await useBackend('cpu');
    const values = randomArray(24);
    const x = tf.tensor(values, [2, 3, 4]);
    const read = cpuFloats(tf.backend(), x);
    expect(read).toEqual(values);
    expect(cpuFloats(tf.backend(), x)).toBe(read);
    const made = randomArray(6);
    const y = tf.engine().makeTensorFromTensorInfo(cpuTensor(tf.backend(), [2, 3], made));
    expect(y.shape).toEqual([2, 3]);
    expect(y.dataSync()).toEqual(made);
    tf.dispose([x, y]);
  });
});

describe.runIf(backends.includes('wasm'))('wasm adapter', () => {
  it('reads and writes heap tensors as the stock Identity copies them', async () => {
    await useBackend('wasm');
    const values = randomArray(30);
    const x = tf.tensor(values, [5, 6]);
    expect(heapFloats(tf.backend(), x)).toEqual(values);
    const doubled = tf
      .engine()
      .makeTensorFromTensorInfo(
        heapTensor(tf.backend(), [5, 6], [x], (out, xs) => xs!.forEach((v, i) => (out[i] = 2 * v))),
      );
    expect(doubled.dataSync()).toEqual(values.map((v) => 2 * v));
    const empty = tf.engine().makeTensorFromTensorInfo(heapOutput(tf.backend(), [7]));
    expect(empty.shape).toEqual([7]);
    const shared = tf.engine().makeTensorFromTensorInfo(shareTensor(tf.backend(), x)!);
    expect(shared.dataId).toBe(x.dataId);
    expect(shared.dataSync()).toEqual(stockIdentity(x));
    expect(shareTensor(tf.backend(), tf.tensor(['a']))).toBeUndefined();
    tf.dispose([x, doubled, empty, shared]);
  });

  it('finds the heap: addresses, malloc and free on the memory tfjs uses', async () => {
    await useBackend('wasm');
    const heap = backendHeap(tf.backend())!;
    expect(heap).toBeDefined();
    const values = randomArray(17);
    const x = tf.tensor(values);
    expect(new Float32Array(heap.memory.buffer, heap.address(x), values.length)).toEqual(values);
    const block = heap.malloc(64);
    expect(block).toBeGreaterThan(0);
    heap.free(block);
    x.dispose();
  });
});
