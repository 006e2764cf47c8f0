import { expectConfigKeys, reduceExpandMlp, strideAvgPool, toKernel } from './blocks.js';
import type { KernelGeneratorFactory } from './types.js';

/**
 * `reduce-expand`, the paper's and the Keras seed's generator (the default):
 *
 * `kernel[b,i,j,t,g] = (W₂·ReLU(BN(W₁·P_s(x)[b,i,j] + b₁)) + b₂)[t·G + g]`
 *
 * where `P_s` averages each s×s block (identity for s = 1), W₁ reduces C → floor(C/r) and W₂ expands to K²·G.
 * Weights: `reduce/{kernel,bias}`, `bn/{gamma,beta,moving_mean,moving_variance}`, `expand/{kernel,bias}`.
 * Takes no config.
 */
export const reduceExpandGenerator: KernelGeneratorFactory = (context) => {
  expectConfigKeys(context, []);
  const mlp = reduceExpandMlp(context);
  return { generate: (x, training) => toKernel(mlp(strideAvgPool(x, context.stride), training), context) };
};
