/**
 * float32 values that exercise a float16 encoder: signed zeros, NaN and ±Inf, the edges of float16's range
 * (65504, the 65520 overflow point, 2^-14, 2^-24 and the values halfway around them), exact ties between
 * neighbouring float16 values (normal and subnormal, both parities), and `count` seeded values spread over
 * 2^-30 … 2^17 in magnitude, both signs.
 */
import type { TestRandom } from '../../src/testing/index.js';
import { float16Value } from '../../src/testing/index.js';

export function float16ProbeValues(random: TestRandom, count: number): Float32Array {
  const fixed = [
    0,
    -0,
    NaN,
    Infinity,
    -Infinity,
    1,
    -1,
    65504,
    65519.99,
    65520,
    -65520,
    65536,
    1e10,
    -1e-10,
    3.4e38,
    2 ** -14,
    2 ** -24,
    2 ** -25,
    2 ** -25 * 1.0001,
    2 ** -26,
    1.5 * 2 ** -24,
    2 ** -14 - 2 ** -25,
    1.401298464324817e-45,
  ];
  const ties: number[] = [];
  for (let i = 0; i < 64; i++) {
    // Halfway between the float16 values with bits h and h + 1, over subnormals and normals.
    const h = random.int(0x7bff);
    ties.push((float16Value(h) + float16Value(h + 1)) / 2);
    ties.push(-(float16Value(h) + float16Value(h + 1)) / 2);
  }
  const spread = Array.from(
    { length: count },
    () => (random.uniform() < 0.5 ? -1 : 1) * 2 ** (-30 + 47 * random.uniform()),
  );
  return Float32Array.from([...fixed, ...ties, ...spread]);
}
