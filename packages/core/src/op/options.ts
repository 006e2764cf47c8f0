import type { GroupLayout, Involution2DAttrs } from './kernel_names.js';
import { outputExtent } from './geometry.js';
import { describeValue } from './inputs.js';

/** Options of {@link involution2d}. */
export interface Involution2DOptions {
  /** K: the kernel is K×K taps. Odd for `padding: 'same'`. */
  kernelSize: number;
  /** Step between output positions. Default 1. */
  stride?: number;
  /** Spacing between taps. Default 1. */
  dilation?: number;
  /**
   * `'same'` (default): symmetric zero padding p = d(K-1)/2, so Ho = ceil(H/s) (K must be odd);
   * `'valid'`: no padding; a number: that many zeros on every side.
   */
  padding?: 'same' | 'valid' | number;
  /** G, the number of kernel groups. Default: the kernel's last dimension. */
  groups?: number;
  /** How channels map to groups; default `'contiguous'` (official code). The Keras seed is `'interleaved'`. */
  groupLayout?: GroupLayout;
}

const GROUP_LAYOUTS: readonly GroupLayout[] = ['contiguous', 'interleaved'];

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

export function positiveInteger(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(where, `${name} must be an integer >= 1, got ${describeValue(value)}`);
  }
  return value;
}

/** Validates the groupLayout option; default `'contiguous'`. */
export function resolveGroupLayout(where: string, groupLayout: GroupLayout | undefined): GroupLayout {
  const layout = groupLayout ?? 'contiguous';
  if (!GROUP_LAYOUTS.includes(layout)) {
    fail(
      where,
      `groupLayout must be one of ${GROUP_LAYOUTS.map((l) => `'${l}'`).join(', ')}, got ${describeValue(layout)}`,
    );
  }
  return layout;
}

/** Resolves the padding option to the pad before row/column 0. */
export function resolvePad(
  where: string,
  padding: Involution2DOptions['padding'],
  kernelSize: number,
  dilation: number,
): number {
  if (padding === undefined || padding === 'same') {
    if (kernelSize % 2 === 0) {
      fail(
        where,
        `padding 'same' needs an odd kernelSize (symmetric padding d*(K-1)/2), got kernelSize ${kernelSize}; use 'valid' or an explicit padding`,
      );
    }
    return (dilation * (kernelSize - 1)) / 2;
  }
  if (padding === 'valid') return 0;
  if (typeof padding === 'number' && Number.isInteger(padding) && padding >= 0) return padding;
  return fail(where, `padding must be 'same', 'valid' or an integer >= 0, got ${describeValue(padding)}`);
}

/**
 * Validates shapes and options and resolves them to kernel attrs. Every error names what was wrong and what
 * was expected.
 */
export function resolveInvolutionAttrs(
  xShape: readonly number[],
  kernelShape: readonly number[],
  options: Involution2DOptions,
  where = 'involution2d',
): Involution2DAttrs {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(
      where,
      `options must be an object { kernelSize, stride?, dilation?, padding?, groups?, groupLayout? }, got ${describeValue(options)}`,
    );
  }
  if (xShape.length !== 4) {
    fail(
      where,
      `x must be rank 4 [batch, height, width, channels] (NHWC), got rank ${xShape.length} with shape [${xShape.join(', ')}]`,
    );
  }
  if (kernelShape.length !== 5) {
    fail(
      where,
      `kernel must be rank 5 [batch, outHeight, outWidth, K*K, groups], got rank ${kernelShape.length} with shape [${kernelShape.join(', ')}]`,
    );
  }
  const kernelSize = positiveInteger(where, 'kernelSize', options.kernelSize);
  const stride = positiveInteger(where, 'stride', options.stride ?? 1);
  const dilation = positiveInteger(where, 'dilation', options.dilation ?? 1);
  const groupLayout = resolveGroupLayout(where, options.groupLayout);
  const groups = positiveInteger(where, 'groups', options.groups ?? kernelShape[4]);
  const pad = resolvePad(where, options.padding, kernelSize, dilation);
  const [batch, height, width, channels] = xShape as [number, number, number, number];
  if (channels % groups !== 0) {
    fail(
      where,
      `groups (${groups}) must divide the channels of x [${xShape.join(', ')}] (${channels}): each group shares its kernel among C/G channels`,
    );
  }
  const outHeight = outputExtent(height, kernelSize, stride, dilation, pad);
  const outWidth = outputExtent(width, kernelSize, stride, dilation, pad);
  if (outHeight < 1 || outWidth < 1) {
    fail(
      where,
      `input ${height}×${width} is too small for kernelSize ${kernelSize}, dilation ${dilation}, padding ${pad}: output would be ${outHeight}×${outWidth}`,
    );
  }
  const expected = [batch, outHeight, outWidth, kernelSize * kernelSize, groups];
  if (kernelShape.some((d, i) => d !== expected[i])) {
    fail(
      where,
      `kernel shape [${kernelShape.join(', ')}] does not match x [${xShape.join(', ')}] and the options (K ${kernelSize}, stride ${stride}, dilation ${dilation}, pad ${pad}, groups ${groups}): expected [${expected.join(', ')}]`,
    );
  }
  return { kernelSize, stride, dilation, pad, groups, groupLayout };
}
