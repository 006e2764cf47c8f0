import * as tf from '@tensorflow/tfjs-core';
import { heapFloats, heapOutput, heapTensor } from '../adapters/wasm.js';
import { runStockKernel } from '../stock_kernels.js';
import { streamingKernels, withScratch } from '../streaming/streaming_instance.js';
import { leadingAxesReduction, reductionScale, sumRows } from '../typed_array/leading_axes_sum.js';
import {
  ALIGN_SLACK,
  ARGS_BYTES,
  F32,
  argsAt,
  channelMoments,
  foldSums,
  momentsScratchBytes,
  wideRows,
} from './streaming_jobs.js';

/**
 * Sum or Mean on `wasm` over leading axes without the stock kernel's transpose, on the SIMD module (float64
 * sums, over the engine's threads where the heap is shared) or else the JS loop; other reductions go to the
 * stock one.
 */
function leadingAxesWasmConfig(kernelName: typeof tf.Sum | typeof tf.Mean): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: (args) => {
      const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      const r = leadingAxesReduction(x, axis, keepDims);
      if (r === undefined) return runStockKernel(kernelName, 'wasm', args);
      const scale = reductionScale(kernelName, r);
      const run = streamingKernels(args.backend, kernelName);
      if (run !== undefined) {
        const out = heapOutput(args.backend, r.outShape);
        const { rows, inner: C } = r;
        const wide = wideRows(rows, C);
        // Batch norm's moments pass about a zero row (its first C sums), over the engine's threads.
        // Scratch: the job's arguments, the tasks' partial sums, a wide row of zeros.
        const partials = momentsScratchBytes(wide.rows, wide.C);
        withScratch(run.heap, ALIGN_SLACK + ARGS_BYTES + partials + wide.C * F32, (scratch) => {
          const at = argsAt(scratch);
          const zeros = at + ARGS_BYTES + partials;
          new Float32Array(run.heap.memory.buffer, zeros, wide.C).fill(0);
          const moments = channelMoments(
            run,
            at,
            at + ARGS_BYTES,
            run.heap.address(x),
            wide.rows,
            wide.C,
            zeros,
          );
          const sums = foldSums(moments, wide);
          const values = heapFloats(args.backend, out);
          for (let n = 0; n < C; n++) values[n] = sums[n]! * scale;
        });
        return out;
      }
      return heapTensor(args.backend, r.outShape, [x], (out, src) => sumRows(src!, r, scale, out));
    },
  };
}

/** Bias gradients. */
export const sumWasmConfig = leadingAxesWasmConfig(tf.Sum);
/** BatchNorm moments. */
export const meanWasmConfig = leadingAxesWasmConfig(tf.Mean);
