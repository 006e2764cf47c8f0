/**
 * Every kernel and gradient inv registers into tfjs besides the involution op's own, with why each is
 * replaced and what runs where it is not: the one list `registerKernels` registers from and the kernel table
 * in the docs is generated from (`pnpm --filter @inv/kernels kernel-table`).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterCpuConfig } from './cpu/conv2d_backprop_filter_cpu.js';
import { conv2dBackpropInputCpuConfig } from './cpu/conv2d_backprop_input_cpu.js';
import { conv2dCpuConfig } from './cpu/conv2d_cpu.js';
import { floatKernelCpuConfig } from './cpu/float_kernel_cpu.js';
import { maxPoolGradCpuConfig } from './cpu/max_pool_grad_cpu.js';
import { meanCpuConfig, sumCpuConfig } from './cpu/sum_mean_cpu.js';
import { fusedBatchNormGradConfig } from './gradients/fused_batch_norm_grad.js';
import { floatBatchNormTraining, floatBatchNormTrainingGrad } from './typed_array/batch_norm_kernels.js';
import { batchMatMulWasmConfig } from './wasm/batch_mat_mul_wasm.js';
import { conv2dBackpropFilterWasmConfig } from './wasm/conv2d_backprop_filter_wasm.js';
import { conv2dBackpropInputWasmConfig } from './wasm/conv2d_backprop_input_wasm.js';
import {
  depthwiseConv2dBackpropFilterWasmConfig,
  depthwiseConv2dBackpropInputWasmConfig,
} from './wasm/depthwise_conv2d_backprop_wasm.js';
import { floatKernelWasmConfig } from './wasm/float_kernel_wasm.js';
import { identityWasmConfig } from './wasm/identity_wasm.js';
import { maxPoolGradWasmConfig } from './wasm/max_pool_grad_wasm.js';
import { meanWasmConfig, sumWasmConfig } from './wasm/sum_mean_wasm.js';

/** One row of the table: a kernel on one backend, or a gradient (for every backend). */
export interface KernelTableEntry {
  /** The kernel registered, or the kernel whose gradient is. */
  kernelName: string;
  /** The backend a kernel is registered for; `'all'` for a gradient. */
  backend: string;
  /** Why inv registers it, in one line (with the measured reason where there is one). */
  why: string;
  /** What runs otherwise: the stock kernel, the cases handed back to it, or nothing (tfjs lacks it). */
  otherwise: string;
  /** What is registered. */
  config: { kernel: tf.KernelConfig } | { gradient: tf.GradConfig };
}

const kernel = (config: tf.KernelConfig, why: string, otherwise: string): KernelTableEntry => ({
  kernelName: config.kernelName,
  backend: config.backendName,
  why,
  otherwise,
  config: { kernel: config },
});

const gradient = (config: tf.GradConfig, why: string, otherwise: string): KernelTableEntry => ({
  kernelName: config.kernelName,
  backend: 'all',
  why,
  otherwise,
  config: { gradient: config },
});

const NCHW_TO_STOCK = 'the stock kernel (also for NCHW, which this one hands back)';
const LEADING_AXES =
  'the stock kernel transposes the reduced axes innermost first, a full copy that costs more than the sum';
const OTHER_AXES_TO_STOCK =
  'the stock kernel; reductions over other than the leading axes, or not float32, go to it';
const BN_FORWARD =
  "inv's fused batch-norm (behind `FusedBatchNormalization`): two passes where tfjs's moments + batchNorm + relu make about ten";
const BN_BACKWARD = "its gradient in two passes, where the stock ops' gradients make about ten more";
const BN_OTHERWISE = "nothing in tfjs; other backends get @inv/core's composite of stock ops on first use";

/** The kernels and gradients {@link registerKernels} registers, by backend. */
export const KERNEL_TABLE: readonly KernelTableEntry[] = [
  kernel(
    conv2dCpuConfig,
    'per-tap GEMM over an indirection table (no im2col copy), sums in float64',
    NCHW_TO_STOCK,
  ),
  kernel(
    conv2dBackpropInputCpuConfig,
    'per-tap GEMM, as the forward pass; the stock kernel is slow',
    NCHW_TO_STOCK,
  ),
  kernel(
    conv2dBackpropFilterCpuConfig,
    'per-tap GEMM, four pixels per pass; the stock kernel is extremely slow',
    NCHW_TO_STOCK,
  ),
  kernel(
    maxPoolGradCpuConfig,
    "the stock kernel (strided by channel) is the slowest op of a small CNN's step; this one walks NHWC in order",
    'nothing: this one takes every call',
  ),
  kernel(sumCpuConfig, `bias gradients: ${LEADING_AXES}`, OTHER_AXES_TO_STOCK),
  kernel(meanCpuConfig, `batch-norm moments: ${LEADING_AXES}`, OTHER_AXES_TO_STOCK),
  kernel(floatKernelCpuConfig(floatBatchNormTraining), BN_FORWARD, BN_OTHERWISE),
  kernel(floatKernelCpuConfig(floatBatchNormTrainingGrad), BN_BACKWARD, BN_OTHERWISE),
  kernel(
    conv2dBackpropFilterWasmConfig,
    'tfjs lacks it: patches × dy on XNNPACK per chunk of images; 1×1 filters of ≤ 1024 weights reduced directly (2–4× faster measured)',
    'nothing: tfjs 4.22 wasm has no Conv2DBackpropFilter (NCHW is an error naming the layout)',
  ),
  kernel(
    conv2dBackpropInputWasmConfig,
    "the stock kernel is a scalar loop; stride 1 runs as XNNPACK's Conv2D of dy with the flipped filter",
    'the stock kernel, for strides > 1, NCHW and pads beyond K−1',
  ),
  kernel(
    depthwiseConv2dBackpropInputWasmConfig,
    "tfjs lacks it (Keras' DepthwiseConv2D and the `context` generator need it)",
    'nothing: tfjs 4.22 wasm has none',
  ),
  kernel(depthwiseConv2dBackpropFilterWasmConfig, 'tfjs lacks it', 'nothing: tfjs 4.22 wasm has none'),
  kernel(
    batchMatMulWasmConfig,
    'the stock kernel runs XNNPACK only untransposed, a scalar loop (≈ 8× slower) otherwise: the operand is transposed first',
    'the stock kernel, for every product: untransposed or non-float32 calls as they are, the others after the transpose',
  ),
  kernel(
    maxPoolGradWasmConfig,
    'the stock kernel drops the gradient of every window whose maximum is negative (tfjs 4.22), and is slower',
    'nothing: this one takes every call',
  ),
  kernel(sumWasmConfig, `bias gradients: ${LEADING_AXES}`, OTHER_AXES_TO_STOCK),
  kernel(meanWasmConfig, `batch-norm moments: ${LEADING_AXES}`, OTHER_AXES_TO_STOCK),
  kernel(
    identityWasmConfig,
    'by reference, as cpu and webgpu do: the stock kernel copies every tensor a gradient saves (the engine clones each)',
    'the stock kernel, for string tensors',
  ),
  kernel(floatKernelWasmConfig(floatBatchNormTraining), BN_FORWARD, BN_OTHERWISE),
  kernel(floatKernelWasmConfig(floatBatchNormTrainingGrad), BN_BACKWARD, BN_OTHERWISE),
  gradient(
    fusedBatchNormGradConfig,
    "broadcast arithmetic: the stock gradient tiles 1/σ to x's full size, ≈ 40% of a RedNet-26 training step on wasm",
    "tfjs's own gradient",
  ),
];
