import { depthwiseConv, expectConfigKeys } from './blocks.js';
import { reduceExpandGenerator } from './reduce_expand.js';
import type { KernelGeneratorFactory } from './types.js';

/** Default side of the depthwise context window. */
const DEFAULT_CONTEXT_SIZE = 3;

/**
 * `context`: a k×k depthwise convolution (zero-padded, per channel) gathers each pixel's neighbourhood before
 * reduce-expand, so the kernel at a position depends on more than the pixel it is centred on:
 *
 * `kernel = reduce-expand(D * x)`, `(D * x)[b,y,x,c] = Σ_{u,v} D[u,v,c]·x[b, y+u−⌊k/2⌋, x+v−⌊k/2⌋, c] + d[c]`.
 *
 * Weights: `context/{kernel,bias}` then reduce-expand's. Config: `contextSize` (k, odd, default 3) and
 * reduce-expand's `init`.
 */
export const contextGenerator: KernelGeneratorFactory = (context) => {
  expectConfigKeys(context, ['contextSize', 'init']);
  const size = context.config['contextSize'] ?? DEFAULT_CONTEXT_SIZE;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size % 2 === 0) {
    throw new Error(`${context.where}: contextSize must be an odd integer >= 1, got ${JSON.stringify(size)}`);
  }
  const gather = depthwiseConv(context, 'context', context.channels, size);
  const mlp = reduceExpandGenerator({
    ...context,
    config: context.config['init'] === undefined ? {} : { init: context.config['init'] },
  });
  return { generate: (x, training) => mlp.generate(gather(x), training) };
};
