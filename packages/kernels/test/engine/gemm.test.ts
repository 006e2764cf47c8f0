import { describe, expect, it } from 'vitest';
import { matMulArrays } from '../helpers/arrays.js';
import { gemmPlan, gemmTiles } from '../../src/engine/gemm.js';
import { onEngines, variants } from '../helpers/engines.js';
import { randomArray, seededRandom, testSeed } from '../helpers/random.js';
import { matMul64, mismatch } from '../helpers/reference.js';

const seed = testSeed();
console.log(`gemm.test.ts: seed ${seed} (replay with INV_TEST_SEED=${seed})`);

interface Case {
  batch: number;
  m: number;
  n: number;
  k: number;
  transposeA?: boolean;
  transposeB?: boolean;
  broadcastB?: boolean;
  accumulate?: boolean;
}

// Sizes off the 4 × 8 tile and the 256-deep k-block, ones, several tiles, transposes, batches.
const cases: Case[] = [
  { batch: 1, m: 1, n: 1, k: 1 },
  { batch: 1, m: 1, n: 9, k: 5 },
  { batch: 1, m: 7, n: 1, k: 3 },
  { batch: 1, m: 5, n: 13, k: 0 },
  { batch: 1, m: 33, n: 17, k: 300 },
  { batch: 1, m: 130, n: 70, k: 520 },
  { batch: 3, m: 6, n: 10, k: 7, transposeA: true },
  { batch: 2, m: 9, n: 11, k: 13, transposeB: true },
  { batch: 2, m: 21, n: 19, k: 260, transposeA: true, transposeB: true },
  { batch: 3, m: 5, n: 12, k: 4, broadcastB: true },
  { batch: 2, m: 11, n: 7, k: 9, accumulate: true },
  // K split into groups (gemmPlan): several groups, the last one short and ending in a partial k-block.
  { batch: 1, m: 7, n: 13, k: 5000, transposeA: true },
  { batch: 2, m: 5, n: 19, k: 4500, transposeB: true, accumulate: true },
  { batch: 1, m: 131, n: 9, k: 4097, transposeA: true, transposeB: true },
  { batch: 3, m: 6, n: 10, k: 4100, broadcastB: true, accumulate: true },
];

describe('gemm', () => {
  for (const variant of variants()) {
    for (const c of cases) {
      it(`${variant.name}: ${JSON.stringify(c)}`, () => {
        const random = seededRandom(seed + c.m * 131 + c.n * 17 + c.k);
        const a = randomArray(c.batch * c.m * c.k, random);
        const b = randomArray((c.broadcastB ? 1 : c.batch) * c.k * c.n, random);
        const c0 = c.accumulate ? randomArray(c.batch * c.m * c.n, random) : undefined;
        const got = onEngines(variant.fma, (engine) => matMulArrays(engine, a, b, c, c0));
        const ref = matMul64(a, b, { transposeA: false, transposeB: false, broadcastB: false, ...c }, c0);
        expect(mismatch(got, { ...ref, terms: c.k + (c0 ? 1 : 0) })).toBeUndefined();
      });
    }
  }

  it('tiles C into at least 64 tasks where the size allows, tiles of whole micro-tiles', () => {
    const { mb, nb } = gemmTiles(1, 1024, 1024, 1024);
    expect(Math.ceil(1024 / mb) * Math.ceil(1024 / nb)).toBeGreaterThanOrEqual(64);
    expect(mb % 4).toBe(0);
    expect(nb % 8).toBe(0);
  });

  it('splits a deep K over thin tiles into groups of whole k-blocks, from the shape only', () => {
    // The seed-conv filter gradient's dyᵀ · patches: 64 × 288 over 65,536 pixels.
    const plan = gemmPlan(1, 64, 288, 65536, true);
    expect(plan.groups * Math.ceil(64 / plan.mb) * Math.ceil(288 / plan.nb)).toBeGreaterThanOrEqual(64);
    expect(plan.kGroup % 256).toBe(0);
    expect(plan.packHere).toBe(true);
    // Thin (16-row) tiles over a deep K, even with enough of them: split too.
    expect(gemmPlan(1, 256, 256, 65536, true).groups).toBeGreaterThan(1);
    // 64-row tiles, a shallow K, or a C with gaps (sumPartials writes it whole): no split.
    expect(gemmPlan(1, 1024, 1024, 65536, true).groups).toBe(1);
    expect(gemmPlan(1, 4096, 512, 4096, true).packHere).toBe(false);
    expect(gemmPlan(1, 64, 288, 2048, true).groups).toBe(1);
    expect(gemmPlan(1, 64, 288, 65536, false).groups).toBe(1);
  });

  it('names what is wrong with a bad size', () => {
    expect(() =>
      onEngines(false, (engine) =>
        matMulArrays(engine, new Float32Array(2), new Float32Array(2), { batch: 1, m: 1, n: 1, k: 2.5 }),
      ),
    ).toThrow(/a has 2 elements, expected 2.5/);
  });
});
