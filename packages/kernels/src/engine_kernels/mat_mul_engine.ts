import * as tf from '@tensorflow/tfjs-core';
import { gemm, matMulProblem } from '../engine/gemm.js';
import { runStockKernel } from '../stock_kernels.js';
import { addRows } from '../engine/elementwise.js';
import { applyActivation, ENGINE_ACTIVATIONS, runOnEngine, type EngineIO } from './run_on_engine.js';

interface MatMulCall {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
}

const product = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1);

/**
 * The product's shapes, or undefined where the engine does not take it: not float32, or batch dimensions
 * that broadcast other than one side's being a single matrix.
 */
function matMulShapes({ a, b, transposeA, transposeB }: MatMulCall) {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const batchA = product(a.shape.slice(0, -2));
  const batchB = product(b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  if (batchA !== batchB && Math.min(batchA, batchB) !== 1) return undefined;
  const [ra, ca] = a.shape.slice(-2) as [number, number];
  const [rb, cb] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [ca, ra] : [ra, ca];
  const n = transposeB ? rb : cb;
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return {
    batch,
    m,
    n,
    k,
    broadcastA: batchA === 1 && batch > 1,
    broadcastB: batchB === 1 && batch > 1,
    outShape: [...batchShape, m, n],
  };
}

function runMatMul(
  io: EngineIO,
  backend: Parameters<tf.KernelFunc>[0]['backend'],
  call: MatMulCall,
  s: NonNullable<ReturnType<typeof matMulShapes>>,
  fused: { bias?: tf.TensorInfo; activation?: string } = {},
): tf.TensorInfo {
  const { bias, activation } = fused;
  return runOnEngine(
    io,
    backend,
    bias === undefined ? [call.a, call.b] : [call.a, call.b, bias],
    s.outShape,
    2 * s.batch * s.m * s.n * s.k,
    (engine, [aa, ba, biasAddress], c) => {
      gemm(
        engine,
        matMulProblem({ ...s, transposeA: call.transposeA, transposeB: call.transposeB }, aa!, ba!, c),
      );
      const length = product(s.outShape);
      if (biasAddress !== undefined) addRows(engine, c, biasAddress, c, length, s.n);
      applyActivation(engine, c, length, activation);
    },
  );
}

/** BatchMatMul (tf.matMul, Dense gradients) on the engine: transposes read through strides, no copies. */
export function batchMatMulEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf.BatchMatMul,
    backendName,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
      const call = { a, b, transposeA, transposeB };
      const shapes = matMulShapes(call);
      if (shapes === undefined) return runStockKernel(tf.BatchMatMul, backendName, args);
      return runMatMul(io, args.backend, call, shapes);
    },
  };
}

/**
 * _FusedMatMul (what Keras' Dense layer calls) on the engine: the product, then bias and a linear or ReLU
 * activation in place on it. Other activations, PReLU weights and other bias shapes go to the stock kernel.
 */
export function fusedMatMulEngineConfig(backendName: string, io: EngineIO): tf.KernelConfig {
  return {
    kernelName: tf._FusedMatMul,
    backendName,
    kernelFunc: (args) => {
      const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo>;
      const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
      const call = { a: a!, b: b!, transposeA: attrs.transposeA, transposeB: attrs.transposeB };
      const shapes = matMulShapes(call);
      if (
        shapes === undefined ||
        !ENGINE_ACTIVATIONS.includes(attrs.activation) ||
        preluActivationWeights !== undefined ||
        (bias !== undefined && product(bias.shape) !== shapes.n)
      ) {
        return runStockKernel(tf._FusedMatMul, backendName, args);
      }
      return runMatMul(io, args.backend, call, shapes, { bias, activation: attrs.activation });
    },
  };
}
