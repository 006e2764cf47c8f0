import { describe, expect, it } from 'vitest';
import { Allocations } from '../../src/engine/allocations.js';
import { axisSoftmax, axisSoftmaxGrad, axisView, type AxisView } from '../../src/engine/axis_softmax.js';
import { onEngines, variants } from '../helpers/engines.js';
import { seededRandom, testSeed } from '../helpers/random.js';

const seed = testSeed();
console.log(`axis_softmax.test.ts: seed ${seed} (replay with INV_TEST_SEED=${seed})`);

const size = ({ outer, n, inner }: AxisView) => outer * n * inner;

/** Runs one softmax kernel on `inputs` (each the view's size) and returns its output. */
function run(
  variantFma: boolean,
  view: AxisView,
  inputs: Float32Array[],
  kernel: (engine: Parameters<typeof axisSoftmax>[0], at: number[], out: number) => void,
): Float32Array {
  return onEngines(variantFma, (engine) => {
    const scope = new Allocations(engine.memory);
    try {
      const at = inputs.map((values) => {
        const p = scope.floats(values.length);
        engine.memory.f32(p, values.length).set(values);
        return p;
      });
      const out = scope.floats(size(view));
      kernel(engine, at, out);
      return engine.memory.f32(out, size(view)).slice();
    } finally {
      scope.free();
    }
  });
}

/**
 * Softmax along the middle axis in float64, and each element's error scale: y·(1 + |x − max| / 16), as the
 * float32 difference x − max alone is off by up to half an ulp of |x − max|, 2⁻²⁵·|x − max| relative in y.
 */
function softmaxReference(x: Float32Array, { outer, n, inner }: AxisView) {
  const y = new Float64Array(x.length);
  const scale = new Float64Array(x.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (t: number) => (o * n + t) * inner + i;
      let max = -Infinity;
      for (let t = 0; t < n; t++) max = Math.max(max, x[at(t)]!);
      let sum = 0;
      for (let t = 0; t < n; t++) sum += Math.exp(x[at(t)]! - max);
      for (let t = 0; t < n; t++) {
        y[at(t)] = Math.exp(x[at(t)]! - max) / sum;
        scale[at(t)] = y[at(t)]! * (1 + Math.abs(x[at(t)]! - max) / 16);
      }
    }
  }
  return { y, scale };
}

/** y·(dy − Σ y·dy) along the middle axis in float64, and each element's scale y·(|dy| + Σ|y·dy|). */
function gradReference(y: Float32Array, dy: Float32Array, { outer, n, inner }: AxisView) {
  const dx = new Float64Array(y.length);
  const scale = new Float64Array(y.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (t: number) => (o * n + t) * inner + i;
      let sum = 0;
      let abs = 0;
      for (let t = 0; t < n; t++) {
        sum += y[at(t)]! * dy[at(t)]!;
        abs += Math.abs(y[at(t)]! * dy[at(t)]!);
      }
      for (let t = 0; t < n; t++) {
        dx[at(t)] = y[at(t)]! * (dy[at(t)]! - sum);
        scale[at(t)] = Math.abs(y[at(t)]!) * (Math.abs(dy[at(t)]!) + abs);
      }
    }
  }
  return { dx, scale };
}

/** The largest |got − want| / (scale + tiny) over all elements. */
function worst(got: Float32Array, want: Float64Array, scale: ArrayLike<number>): number {
  let w = 0;
  for (let k = 0; k < got.length; k++) w = Math.max(w, Math.abs(got[k]! - want[k]!) / (scale[k]! + 1e-37));
  return w;
}

// Lanes along inner (1, 2, 3, 4, 8: gathered, and in rows of four), counts of lanes off a quad (two lanes
// 12 bytes apart and two repeats: not a row of four), the taps of 3×3 and 5×5 kernels, one-element axes, and
// 81,000+ floats (two tasks of 65,536, the second ragged).
const cases: AxisView[] = [
  { outer: 6, n: 3, inner: 1 },
  { outer: 7, n: 9, inner: 1 },
  { outer: 5, n: 9, inner: 2 },
  { outer: 3, n: 25, inner: 3 },
  { outer: 6, n: 9, inner: 4 },
  { outer: 2, n: 1, inner: 5 },
  { outer: 11, n: 9, inner: 8 },
  { outer: 1, n: 13, inner: 1 },
  { outer: 3001, n: 9, inner: 3 },
  { outer: 1100, n: 9, inner: 8 },
];

describe('axisSoftmax', () => {
  for (const variant of variants()) {
    for (const view of cases) {
      it(`${variant.name}: ${JSON.stringify(view)} within 1e-6 of float64, bit for bit on every runner`, () => {
        const random = seededRandom(seed + size(view));
        // Logits spread over ±20 so the exponentials span 17 decades.
        const x = Float32Array.from({ length: size(view) }, () => 20 * random());
        const got = run(variant.fma, view, [x], (engine, [px], out) => axisSoftmax(engine, px!, out, view));
        const { y, scale } = softmaxReference(x, view);
        expect(worst(got, y, scale)).toBeLessThan(1e-6);
      });
    }
  }

  it('gives 0 for -Infinity and far-below logits, NaN where a logit is NaN', () => {
    const view = { outer: 3, n: 4, inner: 1 };
    const x = Float32Array.from([0, -Infinity, -200, 1, NaN, 0, 1, 2, 50, 50, -50, -1e30]);
    const got = run(false, view, [x], (engine, [px], out) => axisSoftmax(engine, px!, out, view));
    const e = Math.exp(-1) / (1 + Math.exp(-1));
    expect(Math.abs(got[0]! - e)).toBeLessThan(1e-7);
    expect(Math.abs(got[3]! - (1 - e))).toBeLessThan(1e-7);
    expect([got[1], got[2]]).toEqual([0, 0]);
    expect(got.subarray(4, 8).every(Number.isNaN)).toBe(true);
    expect(Array.from(got.subarray(8))).toEqual([0.5, 0.5, 0, 0]);
  });
});

describe('axisSoftmaxGrad', () => {
  for (const variant of variants()) {
    for (const view of cases) {
      it(`${variant.name}: ${JSON.stringify(view)} within 1e-6 of float64, bit for bit on every runner`, () => {
        const random = seededRandom(seed + 7 * size(view));
        const logits = Float32Array.from({ length: size(view) }, () => 4 * random());
        const y = Float32Array.from(softmaxReference(logits, view).y);
        const dy = Float32Array.from({ length: size(view) }, () => random());
        const got = run(variant.fma, view, [y, dy], (engine, [py, pdy], out) =>
          axisSoftmaxGrad(engine, py!, pdy!, out, view),
        );
        const { dx, scale } = gradReference(y, dy, view);
        expect(worst(got, dx, scale)).toBeLessThan(1e-6);
      });
    }
  }
});

describe('axisView', () => {
  it('views a shape around an axis, negative from the end', () => {
    expect(axisView([2, 4, 4, 9, 3], 3, 'f')).toEqual({ outer: 32, n: 9, inner: 3 });
    expect(axisView([2, 4, 4, 9, 3], -1, 'f')).toEqual({ outer: 288, n: 3, inner: 1 });
    expect(axisView([5], 0, 'f')).toEqual({ outer: 1, n: 5, inner: 1 });
  });

  it('names an axis out of range and the shape', () => {
    expect(() => axisView([2, 3], 2, 'InvAxisSoftmax')).toThrow(
      'InvAxisSoftmax: axis must be an integer in [-2, 1] for shape [2, 3], got 2',
    );
    expect(() => axisView([2, 3], 0.5, 'f')).toThrow(/got 0.5/);
  });
});
