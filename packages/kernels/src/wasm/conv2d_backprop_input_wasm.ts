import * as tf from '@tensorflow/tfjs-core';
import { nhwcConv2DInfo } from '../typed_array/conv2d_info.js';
import { runStockKernel } from '../stock_kernels.js';

/**
 * Conv2DBackpropInput on `wasm`. The stock kernel is a scalar loop; for stride 1 the input gradient is the
 * 'full' convolution of dy with the filter flipped in space and transposed in channels, which runs on the
 * XNNPACK Conv2D (pads `K-1-p` on each side give back the input extent). Strided convolutions go to the
 * stock kernel: their gradient would need a zero-dilated dy (s² more work).
 */
export const conv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const { dy, filter } = args.inputs as { dy: tf.Tensor4D; filter: tf.Tensor4D };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = nhwcConv2DInfo(attrs.inputShape, filter.shape, attrs);
    if (info === undefined || info.strideHeight !== 1 || info.strideWidth !== 1) {
      return runStockKernel(tf.Conv2DBackpropInput, 'wasm', args);
    }
    const { filterHeight: kh, filterWidth: kw, padInfo: p } = info;
    const pads: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [kh - 1 - p.top, kh - 1 - p.bottom],
      [kw - 1 - p.left, kw - 1 - p.right],
      [0, 0],
    ];
    // Explicit pads beyond K-1 (a convolution that also reads far outside the image) would need crops here.
    if (pads.some(([lo, hi]) => lo < 0 || hi < 0))
      return runStockKernel(tf.Conv2DBackpropInput, 'wasm', args);
    return tf.tidy(() => {
      const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]);
      return tf.conv2d(dy, flipped as tf.Tensor4D, 1, pads);
    });
  },
};
