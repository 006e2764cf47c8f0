import * as tf from '@tensorflow/tfjs-core';

export type Conv2DInfo = tf.backend_util.Conv2DInfo;

/** The attributes the Conv2D family shares (the backprop kernels have no dilations: tfjs never differentiates them). */
interface Conv2DFamilyAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
}

/**
 * The geometry of a Conv2D-family kernel call in NHWC, or `undefined` for NCHW: the fast kernels implement the
 * layout Keras and inv use; callers hand NCHW to the stock kernel or reject it.
 */
export function nhwcConv2DInfo(
  xShape: number[],
  filterShape: number[],
  attrs: Conv2DFamilyAttrs,
): Conv2DInfo | undefined {
  if (attrs.dataFormat === 'NCHW') return undefined;
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}
