// Test utilities shared by inv packages and plugin authors: float64 references of involution (those of the
// convolutions, and the "every backend that starts" helper, are @inv/kernels/testing's), seeded inputs,
// relativeError (from @inv/kernels/testing) and float16 in float64 arithmetic.
export { involution2dReference, involution2dGradReference } from './reference.js';
export type { ReferenceArray } from '@inv/kernels/testing';
export { relativeError } from '@inv/kernels/testing';
export { float16Bits, float16Value, roundToFloat16 } from './float16.js';
export { testRandom, useTestSeed } from './random.js';
export type { TestRandom } from './random.js';
export { testSeed } from '@inv/kernels/testing';
export type { BeforeEachHook } from '@inv/kernels/testing';
