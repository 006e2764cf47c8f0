// Test utilities shared by inv packages and plugin authors: float64 references.
export { involution2dReference, involution2dGradReference } from './reference.js';
export type { ReferenceArray } from './reference.js';
