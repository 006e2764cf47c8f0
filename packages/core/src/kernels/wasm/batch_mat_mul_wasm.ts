import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { runStockKernel } from '../stock_kernels.js';
import { transposeLastTwo } from './wasm_heap.js';

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
    const wasm = args.backend as BackendWasm;
    const a2 = transposeA ? transposeLastTwo(wasm, a) : a;
    const b2 = transposeB ? transposeLastTwo(wasm, b) : b;
    const attrs = { transposeA: false, transposeB: false };
    const out = runStockKernel(tf.BatchMatMul, 'wasm', { inputs: { a: a2, b: b2 }, backend: wasm, attrs });
    for (const temp of [a2, b2]) if (temp !== a && temp !== b) wasm.disposeData(temp.dataId);
    return out;
  },
};
