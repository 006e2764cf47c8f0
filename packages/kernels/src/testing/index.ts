// Test utilities shared by inv packages and plugin authors: float64 references of the convolutions inv's
// kernels replace and of the softmax along an axis, the "every backend that starts" helper the kernel tests run
// on, and the seeds of random test inputs.
export type { ReferenceArray } from './reference_array.js';
export { conv2dReference, conv2dGradReference } from './conv2d_reference.js';
export type { Conv2DReferenceOptions } from './conv2d_reference.js';
export { axisSoftmaxReference, axisSoftmaxGradReference } from './axis_softmax_reference.js';
export type { AxisSoftmaxView } from './axis_softmax_reference.js';
export { availableTestBackends, useBackend } from './backends.js';
export { relativeError } from './relative_error.js';
export type { TestBackendsOptions } from './backends.js';
export { testSeed, useSeededStreams } from './test_seed.js';
export type { BeforeEachHook } from './test_seed.js';
