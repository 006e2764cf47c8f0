/**
 * `dx = dy·step(x)`, step as tfjs's (1 for x > 0, NaN for NaN, else 0): the same values, NaNs and signed zeros
 * as the stock gradient's Step, Cast and Multiply, in one pass. `max(sign(x), 0)` is that step without a
 * branch (about half the signs are random: a `?:` chain ran 2× slower in V8).
 */
export function reluGradTyped(dy: Float32Array, x: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < x.length; i++) dx[i] = dy[i]! * Math.max(Math.sign(x[i]!), 0);
}
