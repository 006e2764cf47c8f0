// The public API of @inv/core: one explicit list.
// @tensorflow/tfjs registers the stock gradients (its Node bundle is the only build that carries them).
import '@tensorflow/tfjs';
// The op's gradients (no kernel is registered at import: initBackend, or an op's first use, registers them).
import './op/register_gradients.js';

export { involution2d } from './op/involution2d.js';
export { involution2dComposite } from './op/involution2d_composite.js';
export type { Involution2DOptions } from './op/options.js';
export {
  Involution2D,
  Involution2DBackpropInput,
  Involution2DBackpropKernel,
  PackFloat16,
} from './op/kernel_names.js';
export { FLOAT16_KERNELS_FLAG } from './op/float16_kernels.js';
export type { GroupLayout, Involution2DAttrs, Involution2DBackpropInputAttrs } from './op/kernel_names.js';
export { involutionGeometry, outputExtent } from './op/geometry.js';
export { batchNormTraining } from './op/batch_norm_training.js';
export type { BatchNormTrainingOptions, BatchNormTrainingResult } from './op/batch_norm_training.js';
export { BatchNormTraining, BatchNormTrainingGrad } from '@inv/kernels';
export type { BatchNormActivation, BatchNormTrainingAttrs } from '@inv/kernels';
export { axisSoftmax } from './op/axis_softmax.js';
export { AxisSoftmax, AxisSoftmaxGrad } from '@inv/kernels';
export type { AxisSoftmaxAttrs } from '@inv/kernels';
export type { InvolutionGeometry } from './op/geometry.js';

export { FusedAdamOptimizer, fusedAdam } from './optim/fused_adam.js';

export { Involution, involution } from './layer/involution_layer.js';
export type { InvolutionLayerArgs } from './layer/involution_layer.js';
export type { InvolutionOptions } from './layer/options.js';
export { FusedBatchNormalization, fusedBatchNormalization } from './layer/batch_normalization_layer.js';
export type { FusedBatchNormalizationArgs } from './layer/batch_normalization_layer.js';
export { LAYER_FORMAT_VERSION } from './layer/format_version.js';
export {
  registerKernelGenerator,
  getKernelGenerator,
  listKernelGenerators,
  DEFAULT_KERNEL_GENERATOR,
} from './generators/registry.js';
// The building blocks of the built-in generators, for plugin packages to compose their own from.
export {
  weightSeed,
  strideAvgPool,
  pointwiseConv,
  depthwiseConv,
  batchNorm,
  reducedChannels,
  kernelChannels,
  reduceExpandMlp,
  kernelInit,
  kernelLogitInitializers,
  toKernel,
  expectConfigKeys,
} from './generators/blocks.js';
export type { Block as KernelGeneratorBlock, KernelInit, LayerInitializers } from './generators/blocks.js';
export type {
  KernelGenerator,
  KernelGeneratorConfig,
  KernelGeneratorContext,
  KernelGeneratorFactory,
  KernelGeneratorGeometry,
  KernelGeneratorSpec,
  RegisterKernelGeneratorOptions,
  WeightInitializer,
} from './generators/types.js';

export { initBackend, describeSelection, BACKEND_NAMES } from './backend/init_backend.js';
export { softwareAdapterReason, webgpuAdapterInfo } from './backend/adapter.js';
export type { AdapterInfo } from './backend/adapter.js';
export type { BackendName, BackendSelection, InitBackendOptions } from './backend/init_backend.js';
