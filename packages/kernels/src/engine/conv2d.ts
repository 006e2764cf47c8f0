import { Allocations } from './allocations.js';
import { addRows } from './elementwise.js';
import type { Conv2dGeometry } from './conv_geometry.js';
import { gemm, rowMajorOperand } from './gemm.js';
import {
  pointwiseFilterGradient,
  pointwiseFilterIsThin,
  pointwiseProductIsThin,
  thinProduct,
} from './pointwise.js';
import {
  MIN_TASK_FLOPS,
  MR,
  TARGET_TASKS,
  ceilDiv,
  matrixSource,
  packPanels,
  roundUp,
  sumPartials,
  type PanelSource,
} from './tiles.js';
import type { Engine } from './types.js';
import { winogradBackpropInput, winogradForward, winogradPays, winogradShape } from './winograd.js';

// Convolutions on the engine, in tiles of output positions (never a whole-batch patch matrix): each task
// im2col-s its positions' patch rows, a k-block at a time, into its scratch and multiplies them by the filter
// packed once per call. Addresses are byte offsets of float32 tensors in engine memory: x, y, dx, dy NHWC,
// the filter and its gradient HWIO.

/** Most patch columns per k-block: as gemm's KC (a 256 × NR filter panel stays in L1). */
const KC_MAX = 256;
/** A task's patch block stays under 128 kB (in L2 beside the panels). */
const PATCH_BYTES = 128 * 1024;
/** Pixels per filter-gradient chunk: the k-block of its products. */
const CHUNK_PIXELS = 256;
/** Rows of the filter gradient per task: a chunk's 256 × 128 patch block is 128 kB. */
const GRADIENT_ROWS = 128;
/** The filter gradient's per-group partial sums stay under this. */
const PARTIAL_BYTES = 32 * 1024 * 1024;

/** The convGemm/filterGradient geometry words (engine.wat): source image, position grid, taps and their steps. */
interface TapGeometry {
  src: number;
  srcH: number;
  srcW: number;
  channels: number;
  batch: number;
  qh: number;
  qw: number;
  ty: number;
  tx: number;
  baseY: number;
  sqY: number;
  sjY: number;
  baseX: number;
  sqX: number;
  sjX: number;
}

const words = (t: TapGeometry): number[] => [
  t.src,
  t.srcH,
  t.srcW,
  t.channels,
  t.batch,
  t.qh,
  t.qw,
  t.ty,
  t.tx,
  t.baseY,
  t.sqY,
  t.sjY,
  t.baseX,
  t.sqX,
  t.sjX,
];

/** The forward pass's taps: output pixels read x at stride·q − pad + dilation·tap. */
function forwardTaps(g: Conv2dGeometry, x: number): TapGeometry {
  return {
    src: x,
    srcH: g.inHeight,
    srcW: g.inWidth,
    channels: g.inChannels,
    batch: g.batch,
    qh: g.outHeight,
    qw: g.outWidth,
    ty: g.filterHeight,
    tx: g.filterWidth,
    baseY: -g.padTop,
    sqY: g.strideHeight,
    sjY: g.dilationHeight,
    baseX: -g.padLeft,
    sqX: g.strideWidth,
    sjX: g.dilationWidth,
  };
}

/** Patch columns per k-block (equal blocks of at most KC_MAX) and positions per task. */
function convTiles(positions: number, k: number, n: number): { kc: number; mb: number } {
  // No taps (an input-gradient phase no filter tap reaches): one empty block, which writes zeros.
  const kc = k === 0 ? 1 : ceilDiv(k, ceilDiv(k, KC_MAX));
  const forFlops = ceilDiv(MIN_TASK_FLOPS, 2 * Math.max(1, k) * n);
  let mb = roundUp(Math.min(Math.max(forFlops, 16), Math.max(16, Math.floor(PATCH_BYTES / (4 * kc)))), MR);
  if (ceilDiv(positions, mb) < TARGET_TASKS)
    mb = Math.min(mb, roundUp(Math.max(16, ceilDiv(positions, TARGET_TASKS)), MR));
  return { kc, mb };
}

/**
 * out rows = patch rows · filter over a grid of positions: the forward pass, or one phase of the input
 * gradient. `out` is the byte address of position (0, 0, 0); the others are the given byte steps apart.
 */
function convGemm(
  engine: Engine,
  scope: Allocations,
  taps: TapGeometry,
  filter: PanelSource,
  out: { address: number; rowY: number; rowX: number; batch: number },
): void {
  const positions = taps.batch * taps.qh * taps.qw;
  if (positions === 0) return;
  const k = taps.ty * taps.tx * taps.channels;
  const n = filter.cols;
  const packed = packPanels(engine, scope, filter);
  const { kc, mb } = convTiles(positions, k, n);
  const args = scope.args([
    ...words(taps),
    packed,
    n,
    out.address,
    out.rowY,
    out.rowX,
    out.batch,
    mb,
    kc,
    positions,
    k,
  ]);
  engine.runner.run('convGemm', ceilDiv(positions, mb), args, (mb * kc + 2 * mb) * 4);
}

/**
 * How a 3×3 stride-1 dilation-1 convolution is computed: 'auto' (Winograd where winogradPays), or forced
 * ('winograd' only takes effect on such shapes; benchmarks and tests compare the two).
 */
export type ConvAlgorithm = 'auto' | 'direct' | 'winograd';

/** Winograd for this convolution, forward or input gradient (see winogradPays)? */
function useWinograd(g: Conv2dGeometry, algorithm: ConvAlgorithm, inputGradient: boolean): boolean {
  if (!winogradShape(g) || algorithm === 'direct') return false;
  if (algorithm === 'winograd') return true;
  return inputGradient
    ? winogradPays(g.outChannels, g.batch, g.inHeight, g.inWidth)
    : winogradPays(g.inChannels, g.batch, g.outHeight, g.outWidth);
}

/** A 1×1 stride-1 unpadded convolution: a product of the pixels' channel rows with the filter. */
export const isPointwise = (g: Conv2dGeometry): boolean =>
  g.filterHeight === 1 &&
  g.filterWidth === 1 &&
  g.strideHeight === 1 &&
  g.strideWidth === 1 &&
  g.padTop === 0 &&
  g.padLeft === 0 &&
  g.outHeight === g.inHeight &&
  g.outWidth === g.inWidth;

/**
 * y = conv2d(x, filter) (+ `bias`, the address of one float per output channel: the bits of Conv2D and then
 * Add): a GEMM on x itself for 1×1 stride-1 unpadded filters, tiled im2col otherwise. The thin products
 * (a generator's 1×1 convolutions to or from a few channels, where the output is most of the traffic) add
 * the bias as they store; the others in a pass of their own.
 */
export function conv2dForward(
  engine: Engine,
  g: Conv2dGeometry,
  x: number,
  filter: number,
  y: number,
  options: { algorithm?: ConvAlgorithm; bias?: number } = {},
): void {
  const { algorithm = 'auto', bias } = options;
  const ci = g.inChannels;
  const co = g.outChannels;
  const pixels = g.batch * g.outHeight * g.outWidth;
  if (isPointwise(g)) {
    const a = rowMajorOperand(x, pixels, ci);
    const b = rowMajorOperand(filter, ci, co);
    if (pointwiseProductIsThin(ci, co)) {
      thinProduct(engine, pixels, co, ci, a, b, { address: y, rowStride: co }, bias);
      return;
    }
    gemm(engine, {
      batch: 1,
      m: pixels,
      n: co,
      k: ci,
      a,
      b,
      c: { address: y, rowStride: co, batchStride: 0 },
    });
  } else {
    const scope = new Allocations(engine.memory);
    try {
      if (useWinograd(g, algorithm, false)) {
        winogradForward(engine, scope, g, x, filter, y);
      } else {
        const k = g.filterHeight * g.filterWidth * ci;
        convGemm(engine, scope, forwardTaps(g, x), matrixSource(filter, k, co, co, 1), {
          address: y,
          rowY: g.outWidth * co * 4,
          rowX: co * 4,
          batch: g.outHeight * g.outWidth * co * 4,
        });
      }
    } finally {
      scope.free();
    }
  }
  if (bias !== undefined) addRows(engine, y, bias, y, pixels * co, co);
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * The filter taps reaching the input rows (or columns) i ≡ r (mod stride): those u with
 * (r + pad − u·dilation) divisible by the stride, an arithmetic progression of step stride / gcd, listed
 * from the largest (so that, where dilation divides the stride, successive taps read adjacent dy pixels).
 */
function phaseTaps(r: number, pad: number, filter: number, stride: number, dilation: number) {
  const step = stride / gcd(stride, dilation);
  let last = -1;
  for (let u = filter - 1; u >= 0 && last < 0; u--)
    if ((((r + pad - u * dilation) % stride) + stride) % stride === 0) last = u;
  const count = last < 0 ? 0 : Math.floor(last / step) + 1;
  // dy row of tap j of input row r + stride·q: (r + pad − (last − j·step)·dilation) / stride + q + j·(step·dilation / stride).
  return {
    last,
    count,
    step,
    base: last < 0 ? 0 : (r + pad - last * dilation) / stride,
    tapStep: (step * dilation) / stride,
  };
}

/**
 * dx = the input gradient of conv2d, a gather per input pixel (no scatter, no races): the input pixels
 * split by phase (y mod strideHeight, x mod strideWidth), each phase a stride-1 convolution of dy with the
 * filter taps that reach it, flipped and io-transposed (no multiplications by the zeros of a dilated dy).
 */
export function conv2dBackpropInput(
  engine: Engine,
  g: Conv2dGeometry,
  dy: number,
  filter: number,
  dx: number,
  algorithm: ConvAlgorithm = 'auto',
): void {
  const ci = g.inChannels;
  const co = g.outChannels;
  if (isPointwise(g)) {
    const pixels = g.batch * g.inHeight * g.inWidth;
    const a = rowMajorOperand(dy, pixels, co);
    const b = rowMajorOperand(filter, ci, co, { transpose: true });
    if (pointwiseProductIsThin(co, ci)) {
      thinProduct(engine, pixels, ci, co, a, b, { address: dx, rowStride: ci });
      return;
    }
    gemm(engine, {
      batch: 1,
      m: pixels,
      n: ci,
      k: co,
      a,
      b,
      c: { address: dx, rowStride: ci, batchStride: 0 },
    });
    return;
  }
  const scope = new Allocations(engine.memory);
  try {
    if (useWinograd(g, algorithm, true)) {
      winogradBackpropInput(engine, scope, g, dy, filter, dx);
      return;
    }
    for (let ry = 0; ry < Math.min(g.strideHeight, g.inHeight); ry++) {
      const ys = phaseTaps(ry, g.padTop, g.filterHeight, g.strideHeight, g.dilationHeight);
      for (let rx = 0; rx < Math.min(g.strideWidth, g.inWidth); rx++) {
        const xs = phaseTaps(rx, g.padLeft, g.filterWidth, g.strideWidth, g.dilationWidth);
        const taps: TapGeometry = {
          src: dy,
          srcH: g.outHeight,
          srcW: g.outWidth,
          channels: co,
          batch: g.batch,
          qh: ceilDiv(g.inHeight - ry, g.strideHeight),
          qw: ceilDiv(g.inWidth - rx, g.strideWidth),
          ty: ys.count,
          tx: xs.count,
          baseY: ys.base,
          sqY: 1,
          sjY: ys.tapStep,
          baseX: xs.base,
          sqX: 1,
          sjX: xs.tapStep,
        };
        // Row (jy, jx, o), column c of the phase's filter: filter[ys.last − jy·step, xs.last − jx·step, c, o].
        const tapBytes = ci * co;
        const filterSource: PanelSource = {
          address: filter + 4 * (Math.max(0, ys.last) * g.filterWidth + Math.max(0, xs.last)) * tapBytes,
          rows: ys.count * xs.count * co,
          cols: ci,
          colStride: co,
          n0: co,
          s0: 1,
          n1: xs.count,
          s1: -xs.step * tapBytes,
          s2: -ys.step * g.filterWidth * tapBytes,
          batchStride: 0,
          batches: 1,
        };
        convGemm(engine, scope, taps, filterSource, {
          address: dx + 4 * (ry * g.inWidth + rx) * ci,
          rowY: 4 * g.strideHeight * g.inWidth * ci,
          rowX: 4 * g.strideWidth * ci,
          batch: 4 * g.inHeight * g.inWidth * ci,
        });
        scope.free();
      }
    }
  } finally {
    scope.free();
  }
}

/** How the filter gradient's pixel sum is split: fixed chunks of pixels in groups, from the shape only. */
export function filterGradientTiles(g: Conv2dGeometry): {
  chunk: number;
  chunksPerGroup: number;
  groups: number;
  mBlock: number;
} {
  const pixels = g.batch * g.outHeight * g.outWidth;
  const kw = g.filterHeight * g.filterWidth * g.inChannels;
  const chunk = Math.min(CHUNK_PIXELS, pixels);
  const chunks = ceilDiv(pixels, chunk);
  const mBlock = Math.min(roundUp(kw, MR), GRADIENT_ROWS);
  const mBlocks = ceilDiv(kw, mBlock);
  const byMemory = Math.max(1, Math.floor(PARTIAL_BYTES / (kw * g.outChannels * 4)));
  const bySize = ceilDiv(MIN_TASK_FLOPS, 2 * chunk * mBlock * g.outChannels);
  const wanted = Math.min(chunks, byMemory, ceilDiv(TARGET_TASKS, mBlocks));
  const chunksPerGroup = Math.max(ceilDiv(chunks, wanted), Math.min(bySize, chunks));
  return { chunk, chunksPerGroup, groups: ceilDiv(chunks, chunksPerGroup), mBlock };
}

/**
 * dfilter = Σ over pixels of patch(x)ᵀ · dy. Tasks are (group of pixel chunks) × (block of filter rows), each
 * summing its chunks in order into its group's partial buffer (dfilter itself when there is one group); the
 * partials are then summed in group order. Chunks and groups depend on the shape only, so the result does not
 * depend on the thread count.
 */
export function conv2dBackpropFilter(
  engine: Engine,
  g: Conv2dGeometry,
  x: number,
  dy: number,
  dfilter: number,
): void {
  const kw = g.filterHeight * g.filterWidth * g.inChannels;
  const co = g.outChannels;
  const pixels = g.batch * g.outHeight * g.outWidth;
  if (pixels === 0) {
    engine.memory.f32(dfilter, kw * co).fill(0);
    return;
  }
  if (isPointwise(g) && pointwiseFilterIsThin(g.inChannels, co)) {
    const a = { address: x, rowStride: g.inChannels };
    pointwiseFilterGradient(engine, pixels, g.inChannels, co, a, { address: dy, rowStride: co }, dfilter);
    return;
  }
  const { chunk, chunksPerGroup, groups, mBlock } = filterGradientTiles(g);
  const mBlocks = ceilDiv(kw, mBlock);
  const scope = new Allocations(engine.memory);
  try {
    const partials = groups === 1 ? dfilter : scope.floats(groups * kw * co);
    const args = scope.args([
      ...words(forwardTaps(g, x)),
      dy,
      co,
      partials,
      kw * co * 4,
      chunk,
      chunksPerGroup,
      pixels,
      mBlock,
      mBlocks,
      kw,
    ]);
    engine.runner.run(
      'filterGradient',
      groups * mBlocks,
      args,
      (chunk * mBlock + chunk * 8 + 2 * mBlock) * 4,
    );
    if (groups > 1) {
      sumPartials(engine, scope, partials, kw * co * 4, groups, dfilter, kw * co);
    }
  } finally {
    scope.free();
  }
}
