/** A tensor of `length` = outer·n·inner floats seen as [outer, n, inner], the softmax axis in the middle. */
export interface AxisSoftmaxView {
  outer: number;
  n: number;
  inner: number;
}

/** Calls `lane(at)` for every (outer, inner) lane, `at(t)` the flat index of its element t along the axis. */
function forEachLane({ outer, n, inner }: AxisSoftmaxView, lane: (at: (t: number) => number) => void): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) lane((t) => (o * n + t) * inner + i);
  }
}

/** Softmax along the view's middle axis in float64: `e^(x − max) / Σ e^(x − max)`. */
export function axisSoftmaxReference(x: ArrayLike<number>, view: AxisSoftmaxView): Float64Array {
  const y = new Float64Array(x.length);
  forEachLane(view, (at) => {
    let max = -Infinity;
    for (let t = 0; t < view.n; t++) max = Math.max(max, x[at(t)]!);
    let sum = 0;
    for (let t = 0; t < view.n; t++) sum += Math.exp(x[at(t)]! - max);
    for (let t = 0; t < view.n; t++) y[at(t)] = Math.exp(x[at(t)]! - max) / sum;
  });
  return y;
}

/**
 * The gradient of the softmax from its output in float64, `y·(dy − Σ y·dy)` along the view's middle axis, and
 * each element's magnitude `|y|·(|dy| + Σ|y·dy|)` (the scale its float32 rounding errors grow with).
 */
export function axisSoftmaxGradReference(
  y: ArrayLike<number>,
  dy: ArrayLike<number>,
  view: AxisSoftmaxView,
): { dx: Float64Array; scale: Float64Array } {
  const dx = new Float64Array(y.length);
  const scale = new Float64Array(y.length);
  forEachLane(view, (at) => {
    let sum = 0;
    let abs = 0;
    for (let t = 0; t < view.n; t++) {
      sum += y[at(t)]! * dy[at(t)]!;
      abs += Math.abs(y[at(t)]! * dy[at(t)]!);
    }
    for (let t = 0; t < view.n; t++) {
      dx[at(t)] = y[at(t)]! * (dy[at(t)]! - sum);
      scale[at(t)] = Math.abs(y[at(t)]!) * (Math.abs(dy[at(t)]!) + abs);
    }
  });
  return { dx, scale };
}
