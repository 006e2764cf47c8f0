import { describe, expect, it } from 'vitest';
import { axisView, type AxisView } from '../../src/engine/axis_softmax.js';
import { axisSoftmaxGradReference, axisSoftmaxReference } from '../../src/testing/index.js';
import { axisSoftmaxArrays, axisSoftmaxGradArrays } from '../helpers/arrays.js';
import { onEngines, variants } from '../helpers/engines.js';
import { seededRandom, testSeed } from '../helpers/random.js';

const seed = testSeed();
console.log(`axis_softmax.test.ts: seed ${seed} (replay with INV_TEST_SEED=${seed})`);

const size = ({ outer, n, inner }: AxisView) => outer * n * inner;

/**
 * Each element's error scale: y·(1 + |x − max| / 16), as the float32 difference x − max alone is off by up to
 * half an ulp of |x − max|, 2⁻²⁵·|x − max| relative in y.
 */
function softmaxErrorScale(x: Float32Array, y: Float64Array, { outer, n, inner }: AxisView): Float64Array {
  const scale = new Float64Array(x.length);
  for (let lane = 0; lane < outer * inner; lane++) {
    const at = (t: number) => (Math.floor(lane / inner) * n + t) * inner + (lane % inner);
    let max = -Infinity;
    for (let t = 0; t < n; t++) max = Math.max(max, x[at(t)]!);
    for (let t = 0; t < n; t++) scale[at(t)] = y[at(t)]! * (1 + Math.abs(x[at(t)]! - max) / 16);
  }
  return scale;
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
        const got = onEngines(variant.fma, (engine) => axisSoftmaxArrays(engine, x, view));
        const y = axisSoftmaxReference(x, view);
        expect(worst(got, y, softmaxErrorScale(x, y, view))).toBeLessThan(1e-6);
      });
    }
  }

  it('gives 0 for -Infinity and far-below logits, NaN where a logit is NaN', () => {
    const view = { outer: 3, n: 4, inner: 1 };
    const x = Float32Array.from([0, -Infinity, -200, 1, NaN, 0, 1, 2, 50, 50, -50, -1e30]);
    const got = onEngines(false, (engine) => axisSoftmaxArrays(engine, x, view));
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
        const y = Float32Array.from(axisSoftmaxReference(logits, view));
        const dy = Float32Array.from({ length: size(view) }, () => random());
        const got = onEngines(variant.fma, (engine) => axisSoftmaxGradArrays(engine, y, dy, view));
        const { dx, scale } = axisSoftmaxGradReference(y, dy, view);
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
