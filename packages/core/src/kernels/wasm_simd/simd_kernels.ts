/**
 * The three involution kernels on the SIMD module: which tap tables each takes (the JS kernels' own) and how
 * it calls its export. All sizes and offsets the module gets are in bytes.
 */
import type { InvolutionGeometry } from '../../op/geometry.js';
import { gatherPlan, type GatherPlan } from '../typed_array/tap_gather.js';

/** Byte addresses of one call: the two inputs, the output (and its end), the tables and the scratch area. */
export interface SimdAddresses {
  a: number;
  b: number;
  out: number;
  outEnd: number;
  /**
   * Row start, source, weight; column start, source, weight (as {@link GatherPlan}); then the kernel's extra
   * tables. Entries in bytes.
   */
  tables: readonly number[];
  scratch: number;
}

export interface SimdInvolutionKernel {
  plan: (g: InvolutionGeometry) => GatherPlan;
  /** Tables besides the plan's, entries in floats (element offsets) like the plan's. */
  extraTables: (g: InvolutionGeometry) => Int32Array[];
  /** Working space the export writes (per thread, in the task form). */
  scratchBytes: (g: InvolutionGeometry) => number;
  /** The export; its task form `<name>Task` takes the same parameters as words, one image a task. */
  name: 'gather' | 'kernelGradient';
  /** The export's parameters for one call over the whole batch. */
  args: (at: SimdAddresses, g: InvolutionGeometry, plan: GatherPlan) => number[];
}

/** Geometry shared by both exports: batch, positions along each axis, groups, and byte sizes. */
function shapeArgs(g: InvolutionGeometry, plan: GatherPlan): number[] {
  return [
    g.batch,
    plan.rows.start.length - 1,
    plan.cols.start.length - 1,
    g.groups,
    g.channelsPerGroup * 4,
    plan.sourceBatchStride * 4,
    plan.weightBatchStride * 4,
  ];
}

/**
 * The columns the gather and the kernel gradient take four pixels at a time (`$gatherBlock3`,
 * `$kernelGradientBlock3`), [from, to), and the bytes between neighbouring pixels' weights: for one group of
 * 3 channels (an RGB input) at stride 1, the columns whose taps are all in the image (their tables are the
 * first one's shifted by a pixel); none otherwise ([0, 0)). Measured at the seed layer ([256, 32, 32, 3],
 * K 3, one thread, on copies, the two interleaved in one run): forward 4.1–4.3 → 2.7–3.1 ms.
 */
export function fourPixelColumns(g: InvolutionGeometry, plan: GatherPlan): [number, number, number] {
  if (g.groups !== 1 || g.channels !== 3 || g.stride !== 1) return [0, 0, 0];
  const start = plan.cols.start;
  const full: number[] = [];
  for (let e = 0; e + 1 < start.length; e++) {
    if (start[e + 1]! - start[e]! === g.kernelSize) full.push(e);
  }
  if (full.length === 0) return [0, 0, 0];
  return [full[0]!, full[full.length - 1]! + 1, g.taps * g.groups * 4];
}

function gatherKernel(plan: (g: InvolutionGeometry) => GatherPlan): SimdInvolutionKernel {
  return {
    plan,
    extraTables: () => [],
    scratchBytes: () => 0,
    name: 'gather',
    args: (at, g, p) => [
      at.a,
      at.b,
      at.out,
      at.outEnd,
      ...at.tables,
      ...shapeArgs(g, p),
      ...fourPixelColumns(g, p),
    ],
  };
}

export const simdInvolution2D = gatherKernel((g) => gatherPlan('forward', g));
export const simdInvolution2DBackpropInput = gatherKernel((g) => gatherPlan('input', g));

/** Taps rounded up to a multiple of four: the module goes four taps at a time. */
const roundUp4 = (n: number): number => (n + 3) & ~3;

/**
 * The taps of a pixel whose K*K taps are all in the image, as (x, dkernel) offset pairs from its top-left tap
 * and its dkernel block, in tap order; the last one repeated up to a multiple of four.
 */
function interiorTaps(g: InvolutionGeometry): Int32Array {
  const { kernelSize: K, taps: T, dilation: d, inWidth: W, channels: C, groups: G } = g;
  const pairs = new Int32Array(roundUp4(T) * 2);
  for (let t = 0; t < roundUp4(T); t++) {
    const tap = Math.min(t, T - 1);
    pairs[2 * t] = (Math.floor(tap / K) * d * W + (tap % K) * d) * C;
    pairs[2 * t + 1] = tap * G;
  }
  return pairs;
}

export const simdInvolution2DBackpropKernel: SimdInvolutionKernel = {
  plan: (g) => gatherPlan('forward', g),
  extraTables: (g) => [interiorTaps(g)],
  // A border pixel's in-image taps, listed as (x, dkernel) address pairs.
  scratchBytes: (g) => roundUp4(g.taps) * 8,
  name: 'kernelGradient',
  args: (at, g, p) => [
    at.a,
    at.b,
    at.out,
    ...at.tables,
    ...shapeArgs(g, p),
    g.taps,
    at.scratch,
    ...fourPixelColumns(g, p).slice(0, 2),
  ],
};

/**
 * Why a geometry goes to the JS kernels instead, or undefined. The module reads a group's channels as
 * consecutive floats, which interleaved groups (c mod G) are only when G = 1 or C/G = 1.
 */
export function simdFallbackReason(g: InvolutionGeometry): string | undefined {
  if (g.groupLayout === 'interleaved' && g.groups > 1 && g.channelsPerGroup > 1) {
    return 'interleaved groups with several channels each are not consecutive in memory';
  }
  return undefined;
}
