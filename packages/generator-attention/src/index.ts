// The public API of @inv/generator-attention: importing it registers its generators with @inv/core.
import { registerKernelGenerator } from '@inv/core';
import { softmaxGenerator } from './softmax.js';

/** This package's name: saved with every layer using one of its generators, named when it is missing. */
export const PACKAGE_NAME = '@inv/generator-attention';

/** The name layers use: `involution({ generator: 'softmax', ... })`. */
export const SOFTMAX_GENERATOR = 'softmax';

registerKernelGenerator(SOFTMAX_GENERATOR, softmaxGenerator, { package: PACKAGE_NAME });

export { softmaxGenerator };
