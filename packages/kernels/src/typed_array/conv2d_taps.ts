import type { Conv2DInfo } from './conv2d_info.js';

/**
 * The indirection table of a convolution: entry `m*T + t` is the flat input pixel (b,y,x) that output pixel m
 * (flat b,i,j) reads through filter tap t (flat u,v), or -1 where that falls in the padding. One table serves
 * the forward pass and both gradients with no im2col copy of the input (T times its size); strides, dilations
 * and any padding live here only.
 */
export function convTapTable(info: Conv2DInfo): Int32Array {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, padInfo } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const table = new Int32Array(batchSize * outHeight * outWidth * filterHeight * filterWidth);
  let k = 0;
  for (let b = 0; b < batchSize; b++)
    for (let i = 0; i < outHeight; i++)
      for (let j = 0; j < outWidth; j++)
        for (let u = 0; u < filterHeight; u++) {
          const y = i * strideHeight + u * dilationHeight - padInfo.top;
          for (let v = 0; v < filterWidth; v++) {
            const x = j * strideWidth + v * dilationWidth - padInfo.left;
            const inside = y >= 0 && y < inHeight && x >= 0 && x < inWidth;
            table[k++] = inside ? (b * inHeight + y) * inWidth + x : -1;
          }
        }
  return table;
}
