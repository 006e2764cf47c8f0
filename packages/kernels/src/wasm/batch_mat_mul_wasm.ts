import * as tf from '@tensorflow/tfjs-core';
import { disposeHeapTensor } from '../adapters/wasm.js';
import { runStockKernel } from '../stock_kernels.js';
import { transposeLastTwo } from './transpose_last_two.js';

/**
 * BatchMatMul on `wasm`: the stock kernel runs XNNPACK only for untransposed operands and a scalar loop (about
 * 8x slower) otherwise, and every Dense/MatMul gradient transposes one operand. Transposing that operand
 * explicitly first (linear time) keeps all products on XNNPACK.
 */
export const batchMatMulWasmConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return runStockKernel(tf.BatchMatMul, 'wasm', args);
    }
    const { backend } = args;
    const a2 = transposeA ? transposeLastTwo(backend, a) : a;
    const b2 = transposeB ? transposeLastTwo(backend, b) : b;
    const attrs = { transposeA: false, transposeB: false };
    const out = runStockKernel(tf.BatchMatMul, 'wasm', { inputs: { a: a2, b: b2 }, backend, attrs });
    for (const temp of [a2, b2]) if (temp !== a && temp !== b) disposeHeapTensor(backend, temp);
    return out;
  },
};
