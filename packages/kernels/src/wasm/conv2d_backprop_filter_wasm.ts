import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackendArg } from '../adapters/kernel_backend.js';
import { heapTensor } from '../adapters/wasm.js';
import { nhwcConv2DInfo, type Conv2DInfo } from '../typed_array/conv2d_info.js';
import { conv2dBackpropFilterTyped } from '../typed_array/conv2d_gemm.js';
import { convTapTable } from '../typed_array/conv2d_taps.js';
import { transposeLastTwo } from './transpose_last_two.js';

/** Patch matrices stay under this many floats (256 MB); larger batches are reduced in chunks of images. */
const PATCH_BUDGET = 64 * 1024 * 1024;

/**
 * 1×1 filters with at most this many weights (the pointwise convs of kernel generators) are reduced straight
 * from x and dy: a GEMM with a tiny output and a huge inner dimension spends its time copying x and transposing
 * dy, not multiplying (2–4× slower measured at B 256, 32×32, Ci·Co ≤ 784; a 3×3×3×32 filter is 1.4× faster as
 * GEMM).
 */
const DIRECT_MAX_WEIGHTS = 1024;

/**
 * The patch (im2col) matrix of images [b0, b0+nb): row (b·Ho+i)·Wo+j, column (u·Kw+v)·Ci+ci holds
 * x[b, i·sh+u−top, j·sw+v−left, ci], 0 in the padding. For fixed (b,i,j,u) the taps v and channels ci are
 * one contiguous run on both sides, so it is written with sequential copies (3x faster than the transposed
 * layout's strided ones). Backprop attributes carry no dilation: tfjs never differentiates dilated convolutions.
 */
function patches(
  backend: KernelBackendArg,
  x: tf.TensorInfo,
  info: Conv2DInfo,
  b0: number,
  nb: number,
): tf.TensorInfo {
  const {
    inHeight: h,
    inWidth: w,
    inChannels: ci,
    outHeight: ho,
    outWidth: wo,
    filterHeight: kh,
    filterWidth: kw,
  } = info;
  const { strideHeight: sh, strideWidth: sw, padInfo } = info;
  const rowLength = kh * kw * ci;
  return heapTensor(backend, [nb * ho * wo, rowLength], [x], (out, src) => {
    for (let b = 0; b < nb; b++)
      for (let i = 0; i < ho; i++)
        for (let u = 0; u < kh; u++) {
          const y = i * sh + u - padInfo.top;
          const inside = y >= 0 && y < h;
          for (let j = 0; j < wo; j++) {
            const dst = ((b * ho + i) * wo + j) * rowLength + u * kw * ci;
            const x0 = j * sw - padInfo.left;
            // Taps [vLo, vHi) read inside the image; the rest of the run is padding.
            const vLo = inside ? Math.min(kw, Math.max(0, -x0)) : kw;
            const vHi = inside ? Math.max(vLo, Math.min(kw, w - x0)) : kw;
            out.fill(0, dst, dst + vLo * ci);
            const from = (((b0 + b) * h + y) * w + x0 + vLo) * ci;
            const to = dst + vLo * ci;
            for (let k = 0, n = (vHi - vLo) * ci; k < n; k++) out[to + k] = src![from + k]!;
            out.fill(0, dst + vHi * ci, dst + kw * ci);
          }
        }
  });
}

/**
 * Conv2DBackpropFilter on `wasm`, which tfjs lacks: dWᵀ[co, (u,v,ci)] = dyᵀ · patches, one untransposed XNNPACK
 * product per chunk of images (the stock BatchMatMul is 8x slower when asked to transpose; dy is transposed
 * explicitly instead, the smaller operand). NHWC only, like every wasm convolution.
 */
export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
    const a = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = nhwcConv2DInfo(x.shape, a.filterShape, a);
    if (info === undefined) {
      throw new Error(
        `Conv2DBackpropFilter (wasm): dataFormat '${a.dataFormat}' is not supported; wasm convolves NHWC only`,
      );
    }
    if (
      info.filterHeight * info.filterWidth === 1 &&
      a.filterShape.reduce((p, d) => p * d, 1) <= DIRECT_MAX_WEIGHTS
    ) {
      return heapTensor(backend, a.filterShape, [x, dy], (out, xs, dys) =>
        out.set(conv2dBackpropFilterTyped(xs!, dys!, info, convTapTable(info))),
      );
    }
    const { batchSize, outHeight: ho, outWidth: wo, outChannels: co } = info;
    const patchFloats = a.filterShape[0] * a.filterShape[1] * info.inChannels * ho * wo;
    const chunk = Math.max(1, Math.min(batchSize, Math.floor(PATCH_BUDGET / patchFloats)));
    return tf.tidy(() => {
      let dw: tf.Tensor | undefined;
      for (let b0 = 0; b0 < batchSize; b0 += chunk) {
        const nb = Math.min(chunk, batchSize - b0);
        const dyRows = tf.reshape(nb === batchSize ? dy : tf.slice(dy, [b0, 0, 0, 0], [nb, ho, wo, co]), [
          nb * ho * wo,
          co,
        ]);
        const dyT = tf.engine().makeTensorFromTensorInfo(transposeLastTwo(backend, dyRows));
        const part = tf.matMul(dyT, tf.engine().makeTensorFromTensorInfo(patches(backend, x, info, b0, nb)));
        dw = dw === undefined ? part : tf.add(dw, part);
      }
      return tf.reshape(tf.transpose(dw!), a.filterShape);
    });
  },
};
