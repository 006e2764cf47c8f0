import {
  expectConfigKeys,
  kernelChannels,
  kernelInit,
  kernelLogitInitializers,
  pointwiseConv,
  strideAvgPool,
  toKernel,
} from './blocks.js';
import type { KernelGeneratorFactory } from './types.js';

/**
 * `linear`: one 1×1 convolution, no bottleneck or normalisation:
 *
 * `kernel[b,i,j,t,g] = (W·P_s(x)[b,i,j] + b)[t·G + g]`
 *
 * where `P_s` averages each s×s block (identity for s = 1) and W maps C → K²·G. Weights: `linear/{kernel,bias}`.
 * Config: `init`, as for `reduce-expand` ('glorot' or 'static').
 */
export const linearGenerator: KernelGeneratorFactory = (context) => {
  expectConfigKeys(context, ['init']);
  const project = pointwiseConv(
    context,
    'linear',
    context.channels,
    kernelChannels(context),
    kernelLogitInitializers(context, 'linear', kernelInit(context)),
  );
  return { generate: (x) => toKernel(project(strideAvgPool(x, context.stride)), context) };
};
