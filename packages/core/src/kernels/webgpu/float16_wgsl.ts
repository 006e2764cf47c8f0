/**
 * float16 storage in core WGSL: two halves in a u32 word (value 2i in the low 16 bits of word i), encoded and
 * decoded on the bits. Why not `pack2x16float` / `unpack2x16float`: WGSL leaves their result indeterminate
 * beyond f16's finite range (±65504) and for NaN, and lets the rounding pick either neighbour; these give
 * round-to-nearest-even, ±Inf above it and NaN for NaN on every adapter, so a packed tensor means the same
 * everywhere (tested bit for bit against @inv/core/testing's float16Bits). Nor `shader-f16`: storage needs no
 * f16 arithmetic (inv accumulates in f32), and Dawn's SwiftShader, where CI tests, lacks the feature.
 *
 * Nothing here imports @tensorflow/tfjs-backend-webgpu at runtime (see involution_webgpu_util.ts).
 */

/** `float32ToFloat16Bits(value : f32) -> u32`: the nearest float16 (ties to even) in the low 16 bits. */
export const FLOAT32_TO_FLOAT16_WGSL = `
  fn float32ToFloat16Bits(value : f32) -> u32 {
    let bits = bitcast<u32>(value);
    let sign = (bits >> 16u) & 0x8000u;
    let magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) {
      return sign | 0x7e00u; // NaN: a quiet one
    }
    if (magnitude >= 0x477ff000u) {
      return sign | 0x7c00u; // from 65520 (halfway past 65504) on, and Inf: Inf
    }
    if (magnitude < 0x38800000u) {
      // Below 2^-14: a subnormal half counts units of 2^-24, and value · 2^24 is exact in f32; round() rounds
      // halves to even. A subnormal f32 that the adapter flushes to 0 rounds to 0 either way.
      return sign | u32(round(bitcast<f32>(magnitude) * 16777216.0));
    }
    // Normal: rebias the exponent (127 → 15) and round the 13 dropped mantissa bits to even; a carry moves
    // into the exponent as it should.
    let rounded = magnitude + 0xfffu + ((magnitude >> 13u) & 1u);
    return sign | ((rounded - 0x38000000u) >> 13u);
  }
`;

/** `float16BitsToFloat32(half : u32) -> f32`: the float16 in the low 16 bits of `half`, exactly. */
export const FLOAT16_TO_FLOAT32_WGSL = `
  fn float16BitsToFloat32(half : u32) -> f32 {
    let sign = (half & 0x8000u) << 16u;
    let exponent = (half >> 10u) & 0x1fu;
    let mantissa = half & 0x3ffu;
    // Subnormal or zero: mantissa · 2^-24, exact in f32.
    let small = bitcast<u32>(f32(mantissa) * 5.9604644775390625e-8);
    let normal = ((exponent + 112u) << 23u) | (mantissa << 13u);
    let special = 0x7f800000u | (mantissa << 13u);
    return bitcast<f32>(sign | select(select(normal, special, exponent == 31u), small, exponent == 0u));
  }
`;

/**
 * How a program reads the generated kernel: `float32` from `array<f32>`, or `float16` pairs packed in an i32
 * tensor (see PackFloat16). `read(index)` is the WGSL value of element `index` (an i32 expression); `wgsl`
 * holds the functions it calls, once per shader; `key` goes into the shader key.
 */
export interface KernelStorage {
  readonly key: string;
  readonly wgsl: string;
  read(index: string): string;
}

const FLOAT32_STORAGE: KernelStorage = {
  key: 'k32',
  wgsl: '',
  read: (index) => `kernel[${index}]`,
};

const FLOAT16_STORAGE: KernelStorage = {
  key: 'k16',
  wgsl: `
    ${FLOAT16_TO_FLOAT32_WGSL}
    fn kernelValue(index : i32) -> f32 {
      let word = bitcast<u32>(kernel[index >> 1u]);
      return float16BitsToFloat32(select(word & 0xffffu, word >> 16u, (index & 1) == 1));
    }
  `,
  read: (index) => `kernelValue(${index})`,
};

/** The storage of a kernel input by its dtype: int32 holds float16 pairs (only PackFloat16 makes those). */
export function kernelStorageOf(dtype: string): KernelStorage {
  return dtype === 'int32' ? FLOAT16_STORAGE : FLOAT32_STORAGE;
}
