/** A 2-D convolution's shapes: NHWC activations, HWIO filter [filterHeight, filterWidth, inChannels, outChannels]. */
export interface Conv2dGeometry {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  /** Zero rows above / columns left of the input (those below / right follow from the output size). */
  readonly padTop: number;
  readonly padLeft: number;
}

/** Explicit padding amounts, or TensorFlow's 'same' (output ⌈in / stride⌉, extra pad below/right) and 'valid'. */
export type Conv2dPadding =
  | 'same'
  | 'valid'
  | { readonly top: number; readonly bottom: number; readonly left: number; readonly right: number };

export interface Conv2dSpec {
  readonly batch: number;
  readonly inHeight: number;
  readonly inWidth: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  /** [height, width] or one for both; default 1. */
  readonly strides?: number | readonly [number, number];
  readonly dilations?: number | readonly [number, number];
  readonly padding: Conv2dPadding;
}

function pair(value: number | readonly [number, number] | undefined, name: string): [number, number] {
  const [h, w] = value === undefined ? [1, 1] : typeof value === 'number' ? [value, value] : value;
  for (const v of [h, w]) {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`conv2dGeometry: ${name} must be positive integers, got ${String(value)}`);
  }
  return [h, w];
}

/** Output size and leading pad along one axis. */
function axis(
  size: number,
  filter: number,
  stride: number,
  dilation: number,
  padding: Conv2dPadding,
  before: 'top' | 'left',
  after: 'bottom' | 'right',
): [number, number] {
  const span = (filter - 1) * dilation + 1;
  if (padding === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max(0, (out - 1) * stride + span - size);
    return [out, Math.floor(total / 2)];
  }
  const [lead, trail] = padding === 'valid' ? [0, 0] : [padding[before], padding[after]];
  for (const [v, name] of [
    [lead, before],
    [trail, after],
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`conv2dGeometry: padding.${name} must be a non-negative integer, got ${v}`);
  }
  const out = Math.floor((size + lead + trail - span) / stride) + 1;
  if (out < 1) {
    throw new Error(
      `conv2dGeometry: the filter (${span} wide with dilation) does not fit the padded input (${size + lead + trail}) along ${before === 'top' ? 'the height' : 'the width'}`,
    );
  }
  return [out, lead];
}

/** The geometry of a convolution from tfjs-style parameters, checked. */
export function conv2dGeometry(spec: Conv2dSpec): Conv2dGeometry {
  for (const key of [
    'batch',
    'inHeight',
    'inWidth',
    'inChannels',
    'outChannels',
    'filterHeight',
    'filterWidth',
  ] as const) {
    const v = spec[key];
    if (!Number.isInteger(v) || v < (key === 'batch' ? 0 : 1)) {
      throw new Error(
        `conv2dGeometry: ${key} must be a ${key === 'batch' ? 'non-negative' : 'positive'} integer, got ${v}`,
      );
    }
  }
  const [strideHeight, strideWidth] = pair(spec.strides, 'strides');
  const [dilationHeight, dilationWidth] = pair(spec.dilations, 'dilations');
  const [outHeight, padTop] = axis(
    spec.inHeight,
    spec.filterHeight,
    strideHeight,
    dilationHeight,
    spec.padding,
    'top',
    'bottom',
  );
  const [outWidth, padLeft] = axis(
    spec.inWidth,
    spec.filterWidth,
    strideWidth,
    dilationWidth,
    spec.padding,
    'left',
    'right',
  );
  return {
    batch: spec.batch,
    inHeight: spec.inHeight,
    inWidth: spec.inWidth,
    inChannels: spec.inChannels,
    outHeight,
    outWidth,
    outChannels: spec.outChannels,
    filterHeight: spec.filterHeight,
    filterWidth: spec.filterWidth,
    strideHeight,
    strideWidth,
    dilationHeight,
    dilationWidth,
    padTop,
    padLeft,
  };
}
