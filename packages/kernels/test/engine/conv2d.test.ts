import { describe, expect, it } from 'vitest';
import { conv2dArrays, conv2dBackpropFilterArrays, conv2dBackpropInputArrays } from '../helpers/arrays.js';
import { Allocations } from '../../src/engine/allocations.js';
import { conv2dBackpropInput, filterGradientTiles, isPointwise } from '../../src/engine/conv2d.js';
import { pointwiseFilterIsThin, pointwiseProductIsThin } from '../../src/engine/pointwise.js';
import { createSerialEngine } from '../../src/engine/serial.js';
import { engineModule } from '../../src/engine/variant.js';
import { conv2dGeometry, type Conv2dSpec } from '../../src/engine/conv_geometry.js';
import { onEngines, variants } from '../helpers/engines.js';
import { randomArray, seededRandom, testSeed } from '../helpers/random.js';
import { conv2d64, conv2dBackpropFilter64, conv2dBackpropInput64, mismatch } from '../helpers/reference.js';

const seed = testSeed();
console.log(`conv2d.test.ts: seed ${seed} (replay with INV_TEST_SEED=${seed})`);

const spec = (
  s: Partial<Conv2dSpec> & Pick<Conv2dSpec, 'filterHeight' | 'filterWidth' | 'padding'>,
): Conv2dSpec => ({
  batch: 2,
  inHeight: 7,
  inWidth: 6,
  inChannels: 3,
  outChannels: 5,
  ...s,
});

// 1×1 and K×K, strides 1/2/3, 'same'/'valid'/explicit padding, dilation (with and without dividing the stride),
// batch 1 and > 1, channel counts off the 4 × 8 tile, patch rows beyond one 256-column k-block, pixel counts
// beyond one 256-pixel chunk (several gradient groups) and filter rows beyond one 128-row block; the thin 1×1
// filter gradient.
const cases: Conv2dSpec[] = [
  spec({ filterHeight: 1, filterWidth: 1, padding: 'valid', outChannels: 10 }),
  spec({ batch: 1, filterHeight: 1, filterWidth: 1, padding: 'valid', strides: 2 }),
  spec({ filterHeight: 1, filterWidth: 1, padding: { top: 1, bottom: 0, left: 0, right: 2 } }),
  spec({ filterHeight: 3, filterWidth: 3, padding: 'same', outChannels: 9 }),
  spec({
    batch: 1,
    inHeight: 9,
    inWidth: 8,
    inChannels: 5,
    outChannels: 4,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'valid',
    strides: 2,
  }),
  spec({ inHeight: 8, inWidth: 8, filterHeight: 3, filterWidth: 3, padding: 'same', strides: 2 }),
  spec({
    inHeight: 10,
    inWidth: 9,
    filterHeight: 3,
    filterWidth: 3,
    padding: { top: 1, bottom: 2, left: 0, right: 1 },
    strides: 3,
  }),
  spec({ filterHeight: 2, filterWidth: 3, padding: 'same', dilations: 2 }),
  spec({
    inHeight: 11,
    inWidth: 10,
    filterHeight: 3,
    filterWidth: 2,
    padding: 'same',
    dilations: [2, 3],
    strides: 2,
  }),
  spec({
    batch: 1,
    inHeight: 11,
    inWidth: 13,
    outChannels: 8,
    filterHeight: 7,
    filterWidth: 7,
    padding: 'same',
    strides: 2,
  }),
  spec({
    inHeight: 4,
    inWidth: 5,
    filterHeight: 3,
    filterWidth: 3,
    padding: { top: 4, bottom: 3, left: 2, right: 4 },
  }),
  spec({
    batch: 1,
    inHeight: 5,
    inWidth: 5,
    inChannels: 40,
    outChannels: 6,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'same',
  }),
  spec({
    batch: 3,
    inHeight: 20,
    inWidth: 20,
    inChannels: 2,
    outChannels: 3,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'valid',
  }),
  spec({
    batch: 4,
    inHeight: 16,
    inWidth: 17,
    inChannels: 8,
    outChannels: 16,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'valid',
  }),
  spec({
    batch: 1,
    inHeight: 6,
    inWidth: 6,
    inChannels: 16,
    outChannels: 13,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'same',
    strides: 2,
  }),
  spec({
    batch: 2,
    inHeight: 3,
    inWidth: 2,
    inChannels: 1,
    outChannels: 1,
    filterHeight: 3,
    filterWidth: 2,
    padding: 'valid',
  }),
  // The thin product (forward 3 → 1, input gradient from 1): several 2,048-row tasks, the last one short.
  spec({
    batch: 3,
    inHeight: 40,
    inWidth: 41,
    inChannels: 3,
    outChannels: 1,
    filterHeight: 1,
    filterWidth: 1,
    padding: 'valid',
  }),
  // 1×1 from or to a few channels (the thin filter gradient): over several 1,024-pixel tasks, the last one odd;
  // the wider side as output channels, and as input channels (computed transposed).
  spec({
    batch: 3,
    inHeight: 19,
    inWidth: 19,
    inChannels: 1,
    outChannels: 9,
    filterHeight: 1,
    filterWidth: 1,
    padding: 'same',
  }),
  spec({
    batch: 4,
    inHeight: 17,
    inWidth: 16,
    inChannels: 5,
    outChannels: 2,
    filterHeight: 1,
    filterWidth: 1,
    padding: 'valid',
  }),
  spec({ inChannels: 3, outChannels: 1, filterHeight: 1, filterWidth: 1, padding: 'valid' }),
];

describe('conv2d', () => {
  for (const variant of variants()) {
    for (const s of cases) {
      const g = conv2dGeometry(s);
      const label = `${variant.name}: ${JSON.stringify(s)}`;
      const random = seededRandom(seed + g.inHeight * 977 + g.filterHeight * 31 + g.outChannels);
      const x = randomArray(g.batch * g.inHeight * g.inWidth * g.inChannels, random);
      const w = randomArray(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels, random);
      const dy = randomArray(g.batch * g.outHeight * g.outWidth * g.outChannels, random);
      it(`forward ${label}`, () => {
        expect(
          mismatch(
            onEngines(variant.fma, (e) => conv2dArrays(e, g, x, w)),
            conv2d64(g, x, w),
          ),
        ).toBeUndefined();
      });
      it(`input gradient ${label}`, () => {
        expect(
          mismatch(
            onEngines(variant.fma, (e) => conv2dBackpropInputArrays(e, g, dy, w)),
            conv2dBackpropInput64(g, dy, w),
          ),
        ).toBeUndefined();
      });
      it(`filter gradient ${label}`, () => {
        expect(
          mismatch(
            onEngines(variant.fma, (e) => conv2dBackpropFilterArrays(e, g, x, dy)),
            conv2dBackpropFilter64(g, x, dy),
          ),
        ).toBeUndefined();
      });
    }
  }

  it('writes every output element over stale memory (phases no tap reaches write zeros)', () => {
    const g = conv2dGeometry(cases[1]!);
    const engine = createSerialEngine(engineModule({ shared: false }).module);
    const scope = new Allocations(engine.memory);
    const lengths = [
      g.batch * g.inHeight * g.inWidth * g.inChannels,
      g.batch * g.outHeight * g.outWidth * g.outChannels,
      g.inChannels * g.outChannels,
    ];
    const [x, dy, w] = lengths.map((n) => scope.floats(n));
    lengths.forEach((n, i) => engine.memory.f32([x, dy, w][i]!, n).fill(NaN));
    engine.memory.f32(dy!, lengths[1]!).fill(1);
    engine.memory.f32(w!, lengths[2]!).fill(1);
    conv2dBackpropInput(engine, g, dy!, w!, x!);
    expect(engine.memory.f32(x!, lengths[0]!).some(Number.isNaN)).toBe(false);
    scope.free();
  });

  it('takes the thin filter gradient and product for the 1×1 cases from or to a few channels only', () => {
    const products = cases.filter((c) => {
      const g = conv2dGeometry(c);
      return (
        isPointwise(g) &&
        (pointwiseProductIsThin(g.inChannels, g.outChannels) ||
          pointwiseProductIsThin(g.outChannels, g.inChannels))
      );
    });
    expect(products.length).toBeGreaterThanOrEqual(4);
    const thin = cases.filter((c) => {
      const g = conv2dGeometry(c);
      return isPointwise(g) && pointwiseFilterIsThin(g.inChannels, g.outChannels);
    });
    expect(thin).toEqual(cases.slice(-4));
  });

  it('splits the filter gradient of the 16×17 case into several groups and the 144-row one into row blocks', () => {
    expect(filterGradientTiles(conv2dGeometry(cases[13]!)).groups).toBeGreaterThan(1);
    const g = conv2dGeometry(cases[14]!);
    expect(filterGradientTiles(g).mBlock).toBeLessThan(g.filterHeight * g.filterWidth * g.inChannels);
  });
});

describe('conv2dGeometry', () => {
  it("follows TensorFlow's 'same': output ⌈in / stride⌉, the odd pad below and right", () => {
    const g = conv2dGeometry(
      spec({ inHeight: 8, inWidth: 7, filterHeight: 3, filterWidth: 4, padding: 'same', strides: 2 }),
    );
    expect([g.outHeight, g.outWidth, g.padTop, g.padLeft]).toEqual([4, 4, 0, 1]);
  });

  it('names what is wrong', () => {
    expect(() => conv2dGeometry(spec({ filterHeight: 9, filterWidth: 1, padding: 'valid' }))).toThrow(
      /does not fit the padded input \(7\) along the height/,
    );
    expect(() =>
      conv2dGeometry(spec({ filterHeight: 1, filterWidth: 1, padding: 'valid', strides: 0 })),
    ).toThrow(/strides must be positive integers, got 0/);
    expect(() =>
      conv2dGeometry(
        spec({ filterHeight: 1, filterWidth: 1, padding: { top: -1, bottom: 0, left: 0, right: 0 } }),
      ),
    ).toThrow(/padding.top must be a non-negative integer/);
  });
});
