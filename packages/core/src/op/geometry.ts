import type { GroupLayout, Involution2DAttrs } from './kernel_names.js';

/** Everything a kernel needs to index x, kernel and output, derived once from shapes and attrs. */
export interface InvolutionGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  kernelSize: number;
  /** K*K */
  taps: number;
  stride: number;
  dilation: number;
  pad: number;
  groups: number;
  channelsPerGroup: number;
  groupLayout: GroupLayout;
}

/** Output extent along one spatial axis: floor((n + 2p - d(K-1) - 1) / s) + 1. */
export function outputExtent(
  n: number,
  kernelSize: number,
  stride: number,
  dilation: number,
  pad: number,
): number {
  return Math.floor((n + 2 * pad - dilation * (kernelSize - 1) - 1) / stride) + 1;
}

export function involutionGeometry(
  xShape: readonly number[],
  attrs: Pick<Involution2DAttrs, 'kernelSize' | 'stride' | 'dilation' | 'pad' | 'groups' | 'groupLayout'>,
): InvolutionGeometry {
  const [batch, inHeight, inWidth, channels] = xShape as [number, number, number, number];
  const { kernelSize, stride, dilation, pad, groups, groupLayout } = attrs;
  return {
    batch,
    inHeight,
    inWidth,
    channels,
    outHeight: outputExtent(inHeight, kernelSize, stride, dilation, pad),
    outWidth: outputExtent(inWidth, kernelSize, stride, dilation, pad),
    kernelSize,
    taps: kernelSize * kernelSize,
    stride,
    dilation,
    pad,
    groups,
    channelsPerGroup: channels / groups,
    groupLayout,
  };
}

/** g(c): contiguous blocks of C/G channels (official PyTorch code), or c mod G (the Keras seed). */
export function groupOfChannel(
  c: number,
  geometry: Pick<InvolutionGeometry, 'groups' | 'channelsPerGroup' | 'groupLayout'>,
): number {
  return geometry.groupLayout === 'contiguous'
    ? Math.floor(c / geometry.channelsPerGroup)
    : c % geometry.groups;
}
