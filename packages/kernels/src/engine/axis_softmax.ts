import { Allocations } from './allocations.js';
import { ceilDiv } from './tiles.js';
import type { Engine } from './types.js';

/**
 * Floats a task reads: about 0.1 ms of exponentials on one thread here, so a softmax under it stays on the
 * calling thread. A task is a whole number of lanes (each its `n` elements along the axis), four at a time.
 */
const TASK_FLOATS = 65536;

/** A tensor seen as [outer, n, inner], the softmax axis in the middle (n ≥ 1; outer, inner may be 1). */
export interface AxisView {
  outer: number;
  n: number;
  inner: number;
}

/** Runs `kernel` over the view's lanes (outer × inner of them) in tasks of whole quads of lanes. */
function runLanes(engine: Engine, kernel: string, addresses: number[], { outer, n, inner }: AxisView): void {
  const lanes = outer * inner;
  if (lanes === 0 || n === 0) return;
  const per = 4 * Math.max(1, Math.floor(TASK_FLOATS / n / 4));
  const scope = new Allocations(engine.memory);
  try {
    const args = scope.args([...addresses, lanes, n, inner, per]);
    engine.runner.run(kernel, ceilDiv(lanes, per), args, 0);
  } finally {
    scope.free();
  }
}

/** out = softmax of x along the view's middle axis (engine.wat's `axisSoftmax`); x, out byte addresses. */
export function axisSoftmax(engine: Engine, x: number, out: number, view: AxisView): void {
  runLanes(engine, 'axisSoftmax', [x, out], view);
}

/**
 * dx = y·(dy − Σ y·dy) along the view's middle axis, the gradient of {@link axisSoftmax} given its output y
 * (engine.wat's `axisSoftmaxGrad`).
 */
export function axisSoftmaxGrad(engine: Engine, y: number, dy: number, dx: number, view: AxisView): void {
  runLanes(engine, 'axisSoftmaxGrad', [y, dy, dx], view);
}

/** The [outer, n, inner] view of `shape` around `axis` (negative counts from the end), or a named error. */
export function axisView(shape: readonly number[], axis: number, where: string): AxisView {
  const rank = shape.length;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new Error(
      `${where}: axis must be an integer in [${-rank}, ${rank - 1}] for shape [${shape.join(', ')}], got ${axis}`,
    );
  }
  const a = axis < 0 ? axis + rank : axis;
  const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);
  return { outer: product(shape.slice(0, a)), n: shape[a]!, inner: product(shape.slice(a + 1)) };
}
