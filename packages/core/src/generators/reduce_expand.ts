import { expectConfigKeys, kernelInit, reduceExpandMlp, strideAvgPool, toKernel } from './blocks.js';
import type { KernelGeneratorFactory } from './types.js';

/**
 * `reduce-expand`, the paper's and the Keras seed's generator (the default):
 *
 * `kernel[b,i,j,t,g] = (W₂·ReLU(BN(W₁·P_s(x)[b,i,j] + b₁)) + b₂)[t·G + g]`
 *
 * where `P_s` averages each s×s block (identity for s = 1), W₁ reduces C → floor(C/r) and W₂ expands to K²·G.
 * Weights: `reduce/{kernel,bias}`, `bn/{gamma,beta,moving_mean,moving_variance}`, `expand/{kernel,bias}`.
 * Config: `init`, how W₂ and b₂ start: 'glorot' (default, the seed's) or 'static' (see `kernelLogitInitializers`).
 */
export const reduceExpandGenerator: KernelGeneratorFactory = (context) => {
  expectConfigKeys(context, ['init']);
  const mlp = reduceExpandMlp(context, kernelInit(context));
  return { generate: (x, training) => toKernel(mlp(strideAvgPool(x, context.stride), training), context) };
};
