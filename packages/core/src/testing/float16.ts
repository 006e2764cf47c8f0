/**
 * float16 in float64 arithmetic, for checking inv's float16 storage: written from IEEE 754's definition
 * (nearest representable value, ties to the even mantissa) with no code shared with the WGSL encoder, which
 * works on the bits.
 */

const SMALLEST_SUBNORMAL = 2 ** -24;
const SMALLEST_NORMAL = 2 ** -14;
/** Halfway between the largest float16 (65504) and 2^16: from here on a value rounds to Inf. */
const OVERFLOW = 65520;

/** x rounded to an integer, halves to the even one (x ≥ 0). */
function roundHalfToEven(x: number): number {
  const down = Math.floor(x);
  const rest = x - down;
  if (rest > 0.5) return down + 1;
  if (rest < 0.5) return down;
  return down % 2 === 0 ? down : down + 1;
}

/** The bits of the float16 nearest to `value` as float32 holds it. */
export function float16Bits(value: number): number {
  const single = Math.fround(value);
  if (Number.isNaN(single)) return 0x7e00;
  const sign = single < 0 || Object.is(single, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(single);
  if (magnitude >= OVERFLOW) return sign | 0x7c00;
  if (magnitude < SMALLEST_NORMAL) return sign | roundHalfToEven(magnitude / SMALLEST_SUBNORMAL);
  let exponent = Math.floor(Math.log2(magnitude));
  // log2 may land one off next to a power of two; settle it exactly.
  if (2 ** exponent > magnitude) exponent--;
  if (2 ** (exponent + 1) <= magnitude) exponent++;
  let mantissa = roundHalfToEven((magnitude / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    mantissa = 0;
    exponent++;
  }
  return sign | ((exponent + 15) << 10) | mantissa;
}

/** The value of float16 bits `bits`. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * SMALLEST_SUBNORMAL;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** `value` as float16 storage keeps it. */
export function roundToFloat16(value: number): number {
  return float16Value(float16Bits(value));
}
