// Test utilities shared by inv packages and plugin authors: float64 references.
export { involution2dReference, involution2dGradReference } from './reference.js';
export type { ReferenceArray } from './reference.js';
export { conv2dReference, conv2dGradReference } from './conv2d_reference.js';
export type { Conv2DReferenceOptions } from './conv2d_reference.js';
