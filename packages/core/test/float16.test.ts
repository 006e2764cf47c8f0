/**
 * The float64 float16 reference (@inv/core/testing) against IEEE 754's definition: the result is a float16,
 * no float16 lies nearer, a tie takes the even mantissa, and the range ends where the standard says. The WGSL
 * encoder is tested against this reference, bit for bit, in involution2d_webgpu.test.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { float16Bits, float16Value, roundToFloat16, useTestSeed } from '../src/testing/index.js';
import { float16ProbeValues } from './helpers/float16_values.js';

const random = useTestSeed('float16.test.ts', beforeEach);

describe('float16 reference', () => {
  it('gives the nearest float16, ties to even, over probes and seeded values', () => {
    for (const value of float16ProbeValues(random, 20000)) {
      const bits = float16Bits(value);
      expect(bits, `${value}`).toBeGreaterThanOrEqual(0);
      expect(bits, `${value}`).toBeLessThan(0x10000);
      if (Number.isNaN(value)) {
        expect(Number.isNaN(float16Value(bits))).toBe(true);
        continue;
      }
      const magnitude = Math.abs(value);
      const sign = Object.is(value, -0) || value < 0 ? 0x8000 : 0;
      expect(bits & 0x8000, `sign of ${value}`).toBe(sign);
      const h = bits & 0x7fff;
      if (magnitude >= 65520) {
        expect(h, `${value}`).toBe(0x7c00);
        continue;
      }
      expect(h, `${value}`).toBeLessThan(0x7c00);
      // Every other float16 is at least as far away, and a tie goes to the even mantissa.
      const distance = Math.abs(float16Value(h) - magnitude);
      for (const neighbour of [h - 1, h + 1]) {
        if (neighbour < 0 || neighbour > 0x7bff) continue;
        const other = Math.abs(float16Value(neighbour) - magnitude);
        expect(distance, `${value}: ${h} vs ${neighbour}`).toBeLessThanOrEqual(other);
        if (distance === other) expect(h % 2, `tie at ${value}`).toBe(0);
      }
      // Below the overflow point a value never rounds past the largest float16.
      if (magnitude > 65504) expect(h).toBe(0x7bff);
    }
  });

  it('decodes every float16 exactly: a round trip keeps each one', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = float16Value(bits);
      if (Number.isNaN(value)) {
        expect((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0, `${bits}`).toBe(true);
        continue;
      }
      expect(float16Bits(value), `${bits}`).toBe(bits);
      expect(roundToFloat16(value)).toBe(value);
    }
  });
});
