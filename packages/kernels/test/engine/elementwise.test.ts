import { describe, expect, it } from 'vitest';
import { Allocations } from '../../src/engine/allocations.js';
import { addRows, relu } from '../../src/engine/elementwise.js';
import type { Engine } from '../../src/engine/types.js';
import { onEngines, variants } from '../helpers/engines.js';
import { randomArray, seededRandom, testSeed } from '../helpers/random.js';

const seed = testSeed();
console.log(`elementwise.test.ts: seed ${seed} (replay with INV_TEST_SEED=${seed})`);

function addArrays(engine: Engine, a: Float32Array, b: Float32Array): Float32Array {
  const scope = new Allocations(engine.memory);
  try {
    const [pa, pb, out] = [a.length, b.length, a.length].map((n) => scope.floats(n));
    engine.memory.f32(pa!, a.length).set(a);
    engine.memory.f32(pb!, b.length).set(b);
    addRows(engine, pa!, pb!, out!, a.length, b.length);
    return engine.memory.f32(out!, a.length).slice();
  } finally {
    scope.free();
  }
}

// Same length over several 65,536-float tasks (an odd end), and biases of lengths off the SIMD row, short
// and close to a task.
const cases = [
  { length: 600_003, bLength: 600_003 },
  { length: 7 * 90_000, bLength: 7 },
  { length: 3 * 200_001, bLength: 200_001 },
];

describe('addRows', () => {
  for (const variant of variants()) {
    for (const c of cases) {
      it(`${variant.name}: ${JSON.stringify(c)} gives the float32 sums, bit for bit on every runner`, () => {
        const random = seededRandom(seed + c.length + c.bLength);
        const a = randomArray(c.length, random);
        const b = randomArray(c.bLength, random);
        const expected = Float32Array.from(a, (v, i) => v + b[i % c.bLength]!);
        const got = onEngines(variant.fma, (e) => addArrays(e, a, b));
        expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(expected.buffer));
      });
    }
  }

  it('names lengths that do not fit', () => {
    expect(() => onEngines(false, (e) => addArrays(e, new Float32Array(10), new Float32Array(4)))).toThrow(
      /b's 4 floats must be as many as a's 10 or divide them/,
    );
  });
});

/** tfjs-wasm's Relu: x where x > 0 or x is NaN, else +0. */
const reluReference = (x: Float32Array): Float32Array =>
  Float32Array.from(x, (v) => (v > 0 || Number.isNaN(v) ? v : 0));

describe('relu', () => {
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 3.5, -3.5];
  // One float (the tail alone), a vector and a tail, and several 65,536-float tasks with an odd end.
  for (const length of [1, 7, 200_003]) {
    it(`rectifies ${length} floats, NaNs kept and -0 made +0, bit for bit on every runner`, () => {
      const random = seededRandom(seed + length);
      const x = randomArray(length, random);
      special.forEach((v, i) => (x[(i * 7919) % length] = v));
      const got = onEngines(false, (engine) => {
        const scope = new Allocations(engine.memory);
        try {
          const [px, out] = [scope.floats(length), scope.floats(length)];
          engine.memory.f32(px, length).set(x);
          relu(engine, px, out, length);
          return engine.memory.f32(out, length).slice();
        } finally {
          scope.free();
        }
      });
      expect(new Uint32Array(got.buffer)).toEqual(new Uint32Array(reluReference(x).buffer));
    });
  }
});
