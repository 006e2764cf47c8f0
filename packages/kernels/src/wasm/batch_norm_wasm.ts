import type * as tf from '@tensorflow/tfjs-core';
import { heapOutput } from '../adapters/wasm.js';
import { BatchNormTraining, BatchNormTrainingGrad, type BatchNormTrainingAttrs } from '../kernel_names.js';
import { STREAMING_TASKS, streamingKernels, withScratch } from '../streaming/streaming_instance.js';
import { floatBatchNormTraining, floatBatchNormTrainingGrad } from '../typed_array/batch_norm_kernels.js';
import { gradientFactors, normalizeFactors } from '../typed_array/batch_norm_training.js';
import { floatKernelWasmConfig } from './float_kernel_wasm.js';
import {
  ALIGN_SLACK,
  ARGS_BYTES,
  F32,
  ROWS_PER_TASK,
  addPartials,
  argsAt,
  channelMoments,
  foldSums,
  momentsScratchBytes,
  taskCount,
  tileRows,
  wideRows,
  writeArgs,
} from './streaming_jobs.js';

/*
 * The batch-norm training kernels on `wasm`: the passes over x run on the SIMD module in place on the heap
 * (float64 sums, as in the JS kernels), split into tasks of ROWS_PER_TASK rows over the engine's threads
 * (where the heap is shared); the per-channel factors between them are computed by the JS kernels' own
 * functions. Where the module cannot run, the JS kernels do (on heap views).
 */

const jsForward = floatKernelWasmConfig(floatBatchNormTraining).kernelFunc;
const jsBackward = floatKernelWasmConfig(floatBatchNormTrainingGrad).kernelFunc;

/** Channels and rows of a channels-last `x`. */
const geometry = (x: tf.TensorInfo): [number, number] => {
  const C = x.shape[x.shape.length - 1]!;
  return [C, x.shape.reduce((n, d) => n * d, 1) / C];
};

export const batchNormTrainingWasmConfig: tf.KernelConfig = {
  kernelName: BatchNormTraining,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const run = streamingKernels(args.backend, BatchNormTraining);
    if (run === undefined) return jsForward(args);
    const { heap } = run;
    const { x, scale, offset } = args.inputs as Record<'x' | 'scale' | 'offset', tf.TensorInfo>;
    const { epsilon, activation } = args.attrs as unknown as BatchNormTrainingAttrs;
    const [C, rows] = geometry(x);
    const outputs = [
      heapOutput(args.backend, x.shape),
      heapOutput(args.backend, [C]),
      heapOutput(args.backend, [C]),
    ];
    const [y, mean, variance] = outputs.map((t) => heap.address(t)) as [number, number, number];
    const wide = wideRows(rows, C);
    const tasks = taskCount(wide.rows);
    const partials = momentsScratchBytes(wide.rows, wide.C);
    // Scratch: the job's arguments, the tasks' partial sums, the normalisation's μ, gain, bias and the shift
    // (x's first row), each tiled over the wide row (4 wide rows of f32).
    withScratch(heap, ALIGN_SLACK + ARGS_BYTES + partials + 4 * wide.C * F32, (scratch) => {
      const args = argsAt(scratch);
      const acc = args + ARGS_BYTES;
      const paramsAt = acc + partials;
      const shiftAt = paramsAt + 3 * wide.C * F32;
      const xAt = heap.address(x);
      const f32 = (at: number, n = C) => new Float32Array(heap.memory.buffer, at, n);
      tileRows(heap.memory, shiftAt, wide, [f32(xAt)]);
      const sums = foldSums(channelMoments(run, args, acc, xAt, wide.rows, wide.C, shiftAt), wide);
      const m = f32(mean);
      const { gain, bias } = normalizeFactors(
        f32(xAt),
        sums.subarray(0, C),
        sums.subarray(C),
        rows,
        { scale: f32(heap.address(scale)), epsilon },
        f32(heap.address(offset)),
        m,
        f32(variance),
      );
      // y = (x − μ₃₂)·gain + (bias + μ₃₂·gain): x − μ₃₂ is exact near the mean, so a large mean costs no digits.
      const shifted = Float32Array.from(bias, (b, c) => b + m[c]! * gain[c]!);
      tileRows(heap.memory, paramsAt, wide, [m, gain, shifted]);
      writeArgs(heap.memory, args, [xAt, y, wide.rows, wide.C, paramsAt, 0, ROWS_PER_TASK]);
      new Float32Array(heap.memory.buffer, args + 20, 1)[0] = activation === 'relu' ? 0 : -Infinity;
      run.runner.run(STREAMING_TASKS.normalize, tasks, args, 0);
    });
    return outputs;
  },
};

export const batchNormTrainingGradWasmConfig: tf.KernelConfig = {
  kernelName: BatchNormTrainingGrad,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const run = streamingKernels(args.backend, BatchNormTrainingGrad);
    if (run === undefined) return jsBackward(args);
    const { heap } = run;
    const inputs = args.inputs as Record<
      'dy' | 'x' | 'y' | 'scale' | 'mean' | 'variance' | 'dMean' | 'dVariance',
      tf.TensorInfo
    >;
    const { epsilon, activation } = args.attrs as unknown as BatchNormTrainingAttrs;
    const [C, rows] = geometry(inputs.x);
    const pass = activation === 'relu' ? 0 : 1;
    const outputs = [
      heapOutput(args.backend, inputs.x.shape),
      heapOutput(args.backend, [C]),
      heapOutput(args.backend, [C]),
    ];
    const [dx, dScale, dOffset] = outputs.map((t) => heap.address(t)) as [number, number, number];
    const [dy, x, y, meanAt] = [inputs.dy, inputs.x, inputs.y, inputs.mean].map((t) => heap.address(t)) as [
      number,
      number,
      number,
      number,
    ];
    const wide = wideRows(rows, C);
    const tasks = taskCount(wide.rows);
    const partials = momentsScratchBytes(wide.rows, wide.C);
    // Scratch: the job's arguments, the tasks' partial sums, dx's μ, gain, k₁, k₀ tiled over the wide row
    // (the sums pass reads the first, μ).
    withScratch(heap, ALIGN_SLACK + ARGS_BYTES + partials + 4 * wide.C * F32, (scratch) => {
      const args = argsAt(scratch);
      const acc = args + ARGS_BYTES;
      const paramsAt = acc + partials;
      const f32 = (t: tf.TensorInfo | number, n = C) =>
        new Float32Array(heap.memory.buffer, typeof t === 'number' ? t : heap.address(t), n);
      tileRows(heap.memory, paramsAt, wide, [f32(meanAt)]);
      writeArgs(heap.memory, args, [dy, x, y, wide.rows, wide.C, paramsAt, pass, acc, ROWS_PER_TASK]);
      run.runner.run(STREAMING_TASKS.gradientSums, tasks, args, 0);
      const sums = foldSums(addPartials(heap.memory, acc, tasks, wide.C), wide);
      const { gain, k1, k0 } = gradientFactors(
        sums.subarray(0, C),
        sums.subarray(C),
        rows,
        { scale: f32(inputs.scale), epsilon },
        { variance: f32(inputs.variance), dMean: f32(inputs.dMean), dVariance: f32(inputs.dVariance) },
        f32(dScale),
        f32(dOffset),
      );
      tileRows(heap.memory, paramsAt, wide, [f32(meanAt), gain, k1, k0]);
      writeArgs(heap.memory, args, [dy, x, y, dx, wide.rows, wide.C, paramsAt, pass, ROWS_PER_TASK]);
      run.runner.run(STREAMING_TASKS.gradientApply, tasks, args, 0);
    });
    return outputs;
  },
};
