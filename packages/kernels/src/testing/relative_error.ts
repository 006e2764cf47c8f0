/**
 * The largest |actual − expected| relative to the reference's largest magnitude, at least `floor`: one number
 * for a whole tensor, where sums over hundreds of terms make an element-wise relative error meaningless near 0.
 * `floor` keeps an all-but-zero reference from turning rounding into a large ratio (the kernel tests use 1e-6,
 * the batch-norm tests 1, the two-step webgpu test 1e-2).
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>, floor = 1e-6): number {
  if (actual.length !== expected.length) {
    throw new Error(`relativeError: ${actual.length} values against a reference of ${expected.length}`);
  }
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}
