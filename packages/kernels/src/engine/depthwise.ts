import { Allocations } from './allocations.js';
import type { Conv2dGeometry } from './conv_geometry.js';
import { ceilDiv, MIN_TASK_FLOPS, roundUp, sumPartials, TARGET_TASKS } from './tiles.js';
import type { Engine } from './types.js';

// The gradients of a depthwise convolution with channel multiplier 1 (filter [KH, KW, C, 1]; the geometry's
// inChannels = outChannels = C): engine.wat's depthwiseFilter and depthwiseInput, a grid row and a tap at a
// time with the channels as the SIMD row. There is no product to tile (a few multiply-adds per element), so
// these stream: what they win over the JS loops is SIMD and the threads.

/** Output pixels per filter-gradient task: fixed by the shape, never the thread count (the same bits on any). */
const FILTER_TASK_PIXELS = 2048;

/** Whether the engine's kernels take a depthwise convolution of `inChannels` to `outChannels` channels. */
export function depthwiseOnEngine(inChannels: number, outChannels: number): boolean {
  return outChannels === inChannels;
}

/** The argument block both kernels share (engine.wat, "Depthwise convolutions"). */
function depthwiseArgs(
  scope: Allocations,
  g: Conv2dGeometry,
  rowsPerTask: number,
  rows: number,
  operands: [number, number, number, number],
): number {
  return scope.args([
    g.inHeight,
    g.inWidth,
    g.inChannels,
    g.outHeight,
    g.outWidth,
    g.filterHeight,
    g.filterWidth,
    g.strideHeight,
    g.strideWidth,
    g.dilationHeight,
    g.dilationWidth,
    g.padTop,
    g.padLeft,
    rowsPerTask,
    rows,
    ...operands,
  ]);
}

function checkDepthwise(what: string, g: Conv2dGeometry): void {
  if (!depthwiseOnEngine(g.inChannels, g.outChannels)) {
    throw new Error(
      `${what}: the engine takes channel multiplier 1 (outChannels = inChannels), got ${g.inChannels} → ${g.outChannels}`,
    );
  }
}

/** dw [KH, KW, C] at `dw` from x [batch, H, W, C] and dy [batch, OH, OW, C]. */
export function depthwiseBackpropFilter(
  engine: Engine,
  g: Conv2dGeometry,
  x: number,
  dy: number,
  dw: number,
): void {
  checkDepthwise('depthwiseBackpropFilter', g);
  const length = g.filterHeight * g.filterWidth * g.inChannels;
  const rows = g.batch * g.outHeight;
  if (rows === 0) {
    engine.memory.f32(dw, length).fill(0);
    return;
  }
  const rowsPerTask = Math.max(1, Math.floor(FILTER_TASK_PIXELS / g.outWidth));
  const tasks = ceilDiv(rows, rowsPerTask);
  const stride = roundUp(length, 4) * 4;
  const scope = new Allocations(engine.memory);
  try {
    const partials = tasks === 1 ? dw : scope.floats((tasks * stride) / 4);
    const args = depthwiseArgs(scope, g, rowsPerTask, rows, [x, dy, partials, stride]);
    engine.runner.run('depthwiseFilter', tasks, args, 0);
    if (tasks > 1) sumPartials(engine, scope, partials, stride, tasks, dw, length);
  } finally {
    scope.free();
  }
}

/** dx [batch, H, W, C] at `dx` from dy [batch, OH, OW, C] and the filter [KH, KW, C]. */
export function depthwiseBackpropInput(
  engine: Engine,
  g: Conv2dGeometry,
  dy: number,
  w: number,
  dx: number,
): void {
  checkDepthwise('depthwiseBackpropInput', g);
  const rows = g.batch * g.inHeight;
  if (rows === 0) return;
  // Each task writes its own input rows: any split gives the same bits. Enough rows that a task is worth
  // handing out (a row does about 2·KH·KW·W·C / (sh·sw) flops).
  const rowFlops =
    (2 * g.filterHeight * g.filterWidth * g.inWidth * g.inChannels) / (g.strideHeight * g.strideWidth);
  const rowsPerTask = Math.max(ceilDiv(rows, TARGET_TASKS), Math.ceil(MIN_TASK_FLOPS / rowFlops));
  const scope = new Allocations(engine.memory);
  try {
    const args = depthwiseArgs(scope, g, rowsPerTask, rows, [dy, w, dx, 0]);
    engine.runner.run('depthwiseInput', ceilDiv(rows, rowsPerTask), args, 0);
  } finally {
    scope.free();
  }
}
