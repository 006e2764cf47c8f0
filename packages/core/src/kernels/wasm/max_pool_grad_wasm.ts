import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { heapTensor } from './wasm_heap.js';

/**
 * MaxPoolGrad on `wasm`: routes dy to the first maximum of each window (row-major, as the cpu kernel does),
 * all channels of a window at once so x and dx are read and written in NHWC order. The stock kernel walks the
 * windows per channel, strided by C, and is several times slower on training-sized batches.
 */
export const maxPoolGradWasmConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo, padInfo } = info;
    const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
    const { effectiveFilterHeight: kh, effectiveFilterWidth: kw } = info;
    const best = new Float32Array(c);
    const arg = new Int32Array(c);
    return heapTensor(backend as BackendWasm, input.shape, [input, dy], (dx, x, g) => {
      dx.fill(0);
      for (let b = 0; b < batchSize; b++)
        for (let i = 0; i < ho; i++)
          for (let j = 0; j < wo; j++) {
            best.fill(-Infinity);
            arg.fill(-1);
            for (let u = 0; u < kh; u += dh) {
              const y = i * sh + u - padInfo.top;
              if (y < 0 || y >= h) continue;
              for (let v = 0; v < kw; v += dw) {
                const xx = j * sw + v - padInfo.left;
                if (xx < 0 || xx >= w) continue;
                const base = ((b * h + y) * w + xx) * c;
                for (let k = 0; k < c; k++) {
                  const value = x![base + k]!;
                  if (value > best[k]!) {
                    best[k] = value;
                    arg[k] = base + k;
                  }
                }
              }
            }
            const o = ((b * ho + i) * wo + j) * c;
            for (let k = 0; k < c; k++) if (arg[k]! >= 0) dx[arg[k]!]! += g![o + k]!;
          }
    });
  },
};
