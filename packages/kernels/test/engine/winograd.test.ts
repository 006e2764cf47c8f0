import { describe, expect, it } from 'vitest';
import { Allocations } from '../../src/engine/allocations.js';
import { conv2dArrays, conv2dBackpropInputArrays } from '../helpers/arrays.js';
import { conv2dGeometry, type Conv2dGeometry, type Conv2dSpec } from '../../src/engine/conv_geometry.js';
import type { Engine } from '../../src/engine/types.js';
import {
  winogradBackpropInput,
  winogradForward,
  winogradPays,
  winogradShape,
  winogradTileBlock,
} from '../../src/engine/winograd.js';
import { onEngines, variants } from '../helpers/engines.js';
import { randomArray, seededRandom, testSeed } from '../helpers/random.js';
import { conv2d64, conv2dBackpropInput64, mismatch, type Reference } from '../helpers/reference.js';

const seed = testSeed();
console.log(`winograd.test.ts: seed ${seed} (replay with INV_TEST_SEED=${seed})`);

/**
 * Winograd F(2×2, 3×3) against the float64 reference at 4× the direct convolution's tolerance (mismatch's
 * 1e-5·√K·Σ|products|). Its rounding errors arise on transformed values, not on the products themselves: an
 * element of Bᵀ d B is a ±sum of up to 4 inputs and one of G g Gᵀ a weighted sum of up to 9 taps (weights ½, ¼),
 * so the magnitudes the 16 products sum over, and the output transform's ±sums of up to 9 of them, can exceed
 * Σ|x·w| by a small constant; 4 covers the input transform's growth. Observed: about 0.01 of the 1× bound
 * (printed by the last test), so the margin is wide; conv2d.test.ts also checks the shapes that reach
 * Winograd through conv2d at the 1× bound.
 */
const FACTOR = 4;

function within(got: Float32Array, ref: Reference): string | undefined {
  return mismatch(got, { ...ref, magnitude: ref.magnitude.map((m) => FACTOR * m) });
}

/** The largest |got − ref| / (1e-5·√K·Σ|products|) seen, to report the margin. */
let worst = 0;
function ratio(got: Float32Array, ref: Reference): void {
  const scale = 1e-5 * Math.sqrt(Math.max(1, ref.terms));
  for (let i = 0; i < got.length; i++) {
    if (ref.magnitude[i]! > 0)
      worst = Math.max(worst, Math.abs(got[i]! - ref.value[i]!) / (scale * ref.magnitude[i]!));
  }
}

function onCopies(
  engine: Engine,
  inputs: Float32Array[],
  length: number,
  run: (a: number[], out: number) => void,
) {
  const scope = new Allocations(engine.memory);
  try {
    const addresses = inputs.map((array) => {
      const address = scope.floats(array.length);
      engine.memory.f32(address, array.length).set(array);
      return address;
    });
    const out = scope.floats(length);
    engine.memory.f32(out, length).fill(NaN);
    run(addresses, out);
    return engine.memory.f32(out, length).slice();
  } finally {
    scope.free();
  }
}

const forward = (engine: Engine, g: Conv2dGeometry, x: Float32Array, w: Float32Array): Float32Array =>
  onCopies(engine, [x, w], g.batch * g.outHeight * g.outWidth * g.outChannels, ([xa, wa], y) => {
    const scope = new Allocations(engine.memory);
    winogradForward(engine, scope, g, xa!, wa!, y);
    scope.free();
  });

const backpropInput = (engine: Engine, g: Conv2dGeometry, dy: Float32Array, w: Float32Array): Float32Array =>
  onCopies(engine, [dy, w], g.batch * g.inHeight * g.inWidth * g.inChannels, ([dya, wa], dx) => {
    const scope = new Allocations(engine.memory);
    winogradBackpropInput(engine, scope, g, dya!, wa!, dx);
    scope.free();
  });

const spec = (s: Partial<Conv2dSpec>): Conv2dSpec => ({
  batch: 2,
  inHeight: 7,
  inWidth: 6,
  inChannels: 3,
  outChannels: 5,
  filterHeight: 3,
  filterWidth: 3,
  padding: 'same',
  ...s,
});

// H, W odd and even, 1×1 and 1×n images, batch 1 and > 1, channels off the 4 × 8 tile and beyond one
// 256-channel k-block, 'same'/'valid'/explicit padding (wider than the filter too), several tile blocks.
const cases: Conv2dSpec[] = [
  spec({}),
  spec({ padding: 'valid', inChannels: 5, outChannels: 9 }),
  spec({ batch: 1, inHeight: 1, inWidth: 1, inChannels: 1, outChannels: 1 }),
  spec({ batch: 3, inHeight: 1, inWidth: 4, inChannels: 6, outChannels: 3 }),
  spec({ batch: 1, inHeight: 3, inWidth: 3, padding: 'valid', inChannels: 7, outChannels: 10 }),
  spec({
    inHeight: 8,
    inWidth: 8,
    padding: { top: 0, bottom: 2, left: 1, right: 0 },
    inChannels: 4,
    outChannels: 8,
  }),
  spec({ inHeight: 4, inWidth: 5, padding: { top: 4, bottom: 3, left: 2, right: 4 } }),
  spec({ batch: 1, inHeight: 9, inWidth: 11, inChannels: 17, outChannels: 13 }),
  spec({ batch: 3, inHeight: 16, inWidth: 15, inChannels: 16, outChannels: 16, padding: 'valid' }),
  spec({ batch: 2, inHeight: 10, inWidth: 10, inChannels: 32, outChannels: 24 }),
  spec({ batch: 1, inHeight: 5, inWidth: 6, inChannels: 260, outChannels: 6 }),
  spec({ batch: 1, inHeight: 6, inWidth: 5, inChannels: 7, outChannels: 300 }),
];

describe('winograd F(2×2, 3×3)', () => {
  for (const variant of variants()) {
    for (const s of cases) {
      const g = conv2dGeometry(s);
      const label = `${variant.name}: ${JSON.stringify(s)}`;
      const random = seededRandom(seed + g.inHeight * 977 + g.inChannels * 31 + g.outChannels);
      const x = randomArray(g.batch * g.inHeight * g.inWidth * g.inChannels, random);
      const w = randomArray(9 * g.inChannels * g.outChannels, random);
      const dy = randomArray(g.batch * g.outHeight * g.outWidth * g.outChannels, random);
      it(`forward ${label}`, () => {
        const got = onEngines(variant.fma, (e) => forward(e, g, x, w));
        const ref = conv2d64(g, x, w);
        ratio(got, ref);
        expect(within(got, ref)).toBeUndefined();
      });
      it(`input gradient ${label}`, () => {
        const got = onEngines(variant.fma, (e) => backpropInput(e, g, dy, w));
        const ref = conv2dBackpropInput64(g, dy, w);
        ratio(got, ref);
        expect(within(got, ref)).toBeUndefined();
      });
    }
  }

  it('goes through conv2d and its input gradient where the rule picks it', () => {
    const g = conv2dGeometry(spec({ batch: 7, inHeight: 9, inWidth: 8, inChannels: 16, outChannels: 20 }));
    expect(winogradShape(g) && winogradPays(16, 7, 9, 8) && winogradPays(20, 7, 9, 8)).toBe(true);
    const random = seededRandom(seed + 1);
    const x = randomArray(g.batch * g.inHeight * g.inWidth * g.inChannels, random);
    const w = randomArray(9 * g.inChannels * g.outChannels, random);
    const dy = randomArray(g.batch * g.outHeight * g.outWidth * g.outChannels, random);
    for (const variant of variants()) {
      const y = onEngines(variant.fma, (e) => conv2dArrays(e, g, x, w));
      expect(y).toEqual(onEngines(variant.fma, (e) => forward(e, g, x, w)));
      expect(within(y, conv2d64(g, x, w))).toBeUndefined();
      const dx = onEngines(variant.fma, (e) => conv2dBackpropInputArrays(e, g, dy, w));
      expect(dx).toEqual(onEngines(variant.fma, (e) => backpropInput(e, g, dy, w)));
      expect(within(dx, conv2dBackpropInput64(g, dy, w))).toBeUndefined();
    }
  });

  it('splits the 16×15 case into several tile blocks', () => {
    expect(winogradTileBlock(3 * 8 * 8, 16, 16)).toBeLessThan(3 * 8 * 8);
  });

  it('keeps within the tolerance with a margin', () => {
    console.log(`winograd: worst error ${worst.toFixed(3)} × 1e-5·√K·Σ|products| (allowed ${FACTOR})`);
    expect(worst).toBeLessThan(FACTOR);
  });
});
