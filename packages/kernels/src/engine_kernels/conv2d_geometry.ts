import type { Conv2dGeometry } from '../engine/conv_geometry.js';
import type { Conv2DInfo } from '../typed_array/conv2d_info.js';

/** The engine's geometry of a tfjs NHWC convolution (tfjs puts any odd padding pixel below and right). */
export function engineGeometry(info: Conv2DInfo): Conv2dGeometry {
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** The direct convolution's floating-point operations (a multiply and an add per tap, channel and output). */
export function convFlops(g: Conv2dGeometry): number {
  return (
    2 * g.batch * g.outHeight * g.outWidth * g.outChannels * g.filterHeight * g.filterWidth * g.inChannels
  );
}
