import { describe, expect, it } from 'vitest';
import { depthwiseBackpropFilterArrays, depthwiseBackpropInputArrays } from '../helpers/arrays.js';
import { Allocations } from '../../src/engine/allocations.js';
import { conv2dGeometry, type Conv2dSpec } from '../../src/engine/conv_geometry.js';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from '../../src/engine/depthwise.js';
import { createSerialEngine } from '../../src/engine/serial.js';
import { engineModule } from '../../src/engine/variant.js';
import { onEngines, variants } from '../helpers/engines.js';
import { randomArray, seededRandom, testSeed } from '../helpers/random.js';
import { depthwiseBackpropFilter64, depthwiseBackpropInput64, mismatch } from '../helpers/reference.js';

const seed = testSeed();
console.log(`depthwise.test.ts: seed ${seed} (replay with INV_TEST_SEED=${seed})`);

const spec = (
  s: Partial<Conv2dSpec> & Pick<Conv2dSpec, 'inChannels' | 'filterHeight' | 'filterWidth' | 'padding'>,
): Conv2dSpec => ({ batch: 2, inHeight: 7, inWidth: 6, outChannels: s.inChannels, ...s });

// 'same'/'valid'/explicit padding (taps wholly outside a row), strides 1/2/3 (input columns no tap reaches),
// dilations, K×K and K×L, channel counts off the 4-lane SIMD row (1, 3, 6, 37) and on it (16 at a time), and pixel counts over
// several 2,048-pixel filter-gradient tasks (the last one short).
const cases: Conv2dSpec[] = [
  spec({ inChannels: 8, filterHeight: 3, filterWidth: 3, padding: 'same' }),
  spec({
    inChannels: 3,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'valid',
    strides: 2,
    inHeight: 9,
    inWidth: 8,
  }),
  spec({ inChannels: 6, filterHeight: 5, filterWidth: 5, padding: 'same' }),
  spec({ inChannels: 1, filterHeight: 3, filterWidth: 2, padding: 'same', dilations: [2, 3], strides: 2 }),
  spec({
    inChannels: 5,
    inHeight: 10,
    inWidth: 9,
    filterHeight: 3,
    filterWidth: 3,
    padding: { top: 4, bottom: 3, left: 1, right: 5 },
    strides: 3,
  }),
  spec({ inChannels: 4, filterHeight: 1, filterWidth: 1, padding: 'valid', strides: 2 }),
  spec({
    batch: 5,
    inHeight: 33,
    inWidth: 31,
    inChannels: 12,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'same',
  }),
  // 16 channels at a time, then 4, then a partial vector.
  spec({
    inChannels: 37,
    filterHeight: 3,
    filterWidth: 3,
    padding: 'same',
    strides: 2,
    inHeight: 9,
    inWidth: 10,
  }),
  spec({ inChannels: 16, filterHeight: 3, filterWidth: 3, padding: 'valid' }),
];

describe('depthwise gradients on the engine (channel multiplier 1)', () => {
  for (const variant of variants()) {
    for (const s of cases) {
      const g = conv2dGeometry(s);
      const label = `${variant.name}: ${JSON.stringify(s)}`;
      const random = seededRandom(seed + g.inHeight * 977 + g.filterWidth * 31 + g.inChannels);
      const x = randomArray(g.batch * g.inHeight * g.inWidth * g.inChannels, random);
      const w = randomArray(g.filterHeight * g.filterWidth * g.inChannels, random);
      const dy = randomArray(g.batch * g.outHeight * g.outWidth * g.outChannels, random);
      it(`input gradient ${label}`, () => {
        expect(
          mismatch(
            onEngines(variant.fma, (e) => depthwiseBackpropInputArrays(e, g, dy, w)),
            depthwiseBackpropInput64(g, dy, w),
          ),
        ).toBeUndefined();
      });
      it(`filter gradient ${label}`, () => {
        expect(
          mismatch(
            onEngines(variant.fma, (e) => depthwiseBackpropFilterArrays(e, g, x, dy)),
            depthwiseBackpropFilter64(g, x, dy),
          ),
        ).toBeUndefined();
      });
    }
  }

  it('writes every output element over stale memory (input pixels no tap reaches get zeros)', () => {
    const g = conv2dGeometry(cases[5]!);
    const engine = createSerialEngine(engineModule({ shared: false }).module);
    const scope = new Allocations(engine.memory);
    const lengths = [
      g.batch * g.inHeight * g.inWidth * g.inChannels,
      g.batch * g.outHeight * g.outWidth * g.outChannels,
      g.filterHeight * g.filterWidth * g.inChannels,
    ];
    const [x, dy, w] = lengths.map((n) => scope.floats(n));
    lengths.forEach((n, i) => engine.memory.f32([x, dy, w][i]!, n).fill(NaN));
    engine.memory.f32(dy!, lengths[1]!).fill(1);
    engine.memory.f32(w!, lengths[2]!).fill(1);
    depthwiseBackpropInput(engine, g, dy!, w!, x!);
    const dx = engine.memory.f32(x!, lengths[0]!);
    expect(dx.some(Number.isNaN)).toBe(false);
    // A 1×1 filter at stride 2 reaches the even rows and columns only: the rest are zeros.
    expect(new Set(dx)).toEqual(new Set([0, 1]));
    engine.memory.f32(w!, lengths[2]!).fill(NaN);
    engine.memory.f32(x!, lengths[0]!).fill(1);
    depthwiseBackpropFilter(engine, g, x!, dy!, w!);
    expect(engine.memory.f32(w!, lengths[2]!).some(Number.isNaN)).toBe(false);
    scope.free();
  });

  it('names a channel multiplier it does not take', () => {
    const g = conv2dGeometry({ ...cases[0]!, outChannels: 16 });
    const engine = createSerialEngine(engineModule({ shared: false }).module);
    expect(() => depthwiseBackpropInput(engine, g, 0, 0, 0)).toThrow(
      /channel multiplier 1 \(outChannels = inChannels\), got 8 → 16/,
    );
  });
});
