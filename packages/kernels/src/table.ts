/**
 * Every kernel and gradient inv registers into tfjs besides the involution op's own, with why each is
 * replaced and what runs where it is not: the one list `registerKernels` registers from and the kernel table
 * in the docs is generated from (`pnpm --filter @inv/kernels kernel-table`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { AxisSoftmax, AxisSoftmaxGrad } from './kernel_names.js';
import { cpuFloatIO } from './adapters/cpu.js';
import { wasmEngineIO } from './engine_kernels/in_place_engine.js';
import type { EngineIO } from './engine_kernels/run_on_engine.js';
import {
  conv2dBackpropFilterEngineConfig,
  conv2dBackpropInputEngineConfig,
} from './engine_kernels/conv2d_backprop_engine.js';
import { conv2dEngineConfig, fusedConv2dEngineConfig } from './engine_kernels/conv2d_engine.js';
import {
  addEngineConfig,
  ENGINE_ADD_MIN_FLOATS,
  ENGINE_BIAS_ADD_MIN_FLOATS,
} from './engine_kernels/add_engine.js';
import { adamUpdateWasmConfig } from './engine_kernels/adam_update_engine.js';
import { ENGINE_RELU_MIN_FLOATS, reluEngineConfig } from './engine_kernels/relu_engine.js';
import {
  axisSoftmaxEngineConfig,
  axisSoftmaxGradEngineConfig,
} from './engine_kernels/axis_softmax_engine.js';
import {
  depthwiseConv2dBackpropFilterEngineConfig,
  depthwiseConv2dBackpropInputEngineConfig,
} from './engine_kernels/depthwise_conv2d_backprop_engine.js';
import { batchMatMulEngineConfig, fusedMatMulEngineConfig } from './engine_kernels/mat_mul_engine.js';
import { floatKernelCpuConfig } from './cpu/float_kernel_cpu.js';
import { maxPoolGradCpuConfig } from './cpu/max_pool_grad_cpu.js';
import { meanCpuConfig, sumCpuConfig } from './cpu/sum_mean_cpu.js';
import { reluGradCpuConfig } from './cpu/relu_grad_cpu.js';
import { fusedBatchNormGradConfig } from './gradients/fused_batch_norm_grad.js';
import { invReluGradGradConfig, reluGradConfig } from './gradients/relu_grad.js';
import { floatAdamUpdate } from './typed_array/adam_update.js';
import { floatBatchNormTraining, floatBatchNormTrainingGrad } from './typed_array/batch_norm_kernels.js';
import { floatMovingAverages } from './typed_array/moving_averages.js';
import { avgPoolGradWasmConfig } from './wasm/avg_pool_grad_wasm.js';
import { batchNormTrainingGradWasmConfig, batchNormTrainingWasmConfig } from './wasm/batch_norm_wasm.js';
import { floatKernelWasmConfig } from './wasm/float_kernel_wasm.js';
import { castWasmConfig, identityWasmConfig } from './wasm/identity_wasm.js';
import { maxPoolGradWasmConfig } from './wasm/max_pool_grad_wasm.js';
import { reluGradWasmConfig } from './wasm/relu_grad_wasm.js';
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

const LEADING_AXES =
  'the stock kernel transposes the reduced axes innermost first, a full copy that costs more than the sum';
const OTHER_AXES_TO_STOCK =
  'the stock kernel; reductions over other than the leading axes, or not float32, go to it';
const BN_FORWARD =
  "inv's fused batch-norm (behind `FusedBatchNormalization`): two passes where tfjs's moments + batchNorm + relu make about ten";
const BN_BACKWARD = "its gradient in two passes, where the stock ops' gradients make about ten more";
const BN_OTHERWISE = "nothing in tfjs; other backends get @inv/core's composite of stock ops on first use";
const RELU_GRAD =
  "the ReLU gradient (`Relu`'s, below) in one pass where the stock one runs Step, Cast and Multiply";
const RELU_GRAD_OTHERWISE = 'nothing in tfjs: without it the gradient is the stock formula';
const ADAM =
  "@inv/core's `fusedAdam`: one pass per variable, bit for bit tfjs's Adam, which runs 14 kernels a variable (a kernel call costs more than a small variable's arithmetic)";
const ADAM_OTHERWISE = "nothing in tfjs: `fusedAdam` runs tfjs's Adam on backends without it";
const MOVING =
  "batch norm's moving statistics in one call, bit for bit the stock Sub, Mul, Sub of each (six kernel calls a layer and step)";
const MOVING_OTHERWISE = 'nothing in tfjs: the stock ops on backends without it';
// The SIMD module (src/streaming/streaming.wat) in place on the heap; without WebAssembly SIMD, the JS kernel.
const STREAMING = 'on the SIMD module in place on the heap, on every engine thread where it is shared';
const STREAMING_OTHERWISE = 'the JS kernel where WebAssembly SIMD is missing';

const ENGINE_WHY = {
  [tf.Conv2D]: 'im2col tiles × packed filter on the engine (a 4×8 SIMD micro-kernel, all threads)',
  [tf.FusedConv2D]:
    "Keras' Conv2D in inference, the generators' 1×1 convolutions: the engine's Conv2D, then bias and ReLU in place on all threads (seed-conv's inference 2.8× faster than with them in a JS loop)",
  [tf.Conv2DBackpropInput]:
    'a gather per input pixel on the engine (strides split into phases: no multiplies by zero)',
  [tf.Conv2DBackpropFilter]:
    'fixed chunks of pixels on the engine, partial sums added in a fixed order (the same bits on any thread count)',
  [tf.DepthwiseConv2dNativeBackpropInput]:
    "Keras' DepthwiseConv2D and the `context` generator: a row and a tap at a time on the engine, channels as SIMD lanes (tfjs-wasm has none)",
  [tf.DepthwiseConv2dNativeBackpropFilter]:
    'fixed chunks of rows on the engine, partial sums added in a fixed order (tfjs-wasm has none)',
  [tf.BatchMatMul]: 'the engine GEMM; transposed operands read through strides (no copies)',
  [tf._FusedMatMul]: "Keras' Dense: the engine GEMM, then bias and ReLU in place on all threads",
  [AxisSoftmax]:
    "the softmax generator's normalisation over a kernel's K×K taps (a middle axis): one pass on the engine, four lanes at a time, where stock ops transpose and run about ten kernels (with its gradient 4.9× the stock `exp(z − logSumExp z)` on [128,32,32,9,3], one thread: `bench/scripts/axis-softmax.mjs`)",
  [AxisSoftmaxGrad]: 'its gradient, `y·(dy − Σ y·dy)`, in one pass on the engine',
} as const;

const DEPTHWISE_OTHERWISE = 'a JS loop on one thread, for channel multipliers above 1';

const ENGINE_OTHERWISE = {
  [tf.Conv2D]: 'the stock kernel, for NCHW',
  [tf.FusedConv2D]:
    'the stock kernel, for NCHW, PReLU and activations other than linear/ReLU (in training tfjs unfuses: Conv2D)',
  [tf.Conv2DBackpropInput]: 'the stock kernel, for NCHW',
  [tf.Conv2DBackpropFilter]:
    'the stock kernel for NCHW (cpu); wasm has none: NCHW is an error naming the layout',
  [tf.DepthwiseConv2dNativeBackpropInput]: DEPTHWISE_OTHERWISE,
  [tf.DepthwiseConv2dNativeBackpropFilter]: DEPTHWISE_OTHERWISE,
  [tf.BatchMatMul]: 'the stock kernel, for non-float32 operands and batch shapes that broadcast both ways',
  [tf._FusedMatMul]: 'the stock kernel, for PReLU, other activations and bias shapes',
  [AxisSoftmax]: "nothing in tfjs: @inv/core's composite of stock ops on other backends",
  [AxisSoftmaxGrad]: "nothing in tfjs: @inv/core's composite of stock ops on other backends",
} as const;

/**
 * The engine's kernels on one backend: the convolutions and products, which the engine runs faster than
 * either backend's own on one thread, and splits over its threads (see packages/kernels/README.md).
 */
const engineKernels = (backendName: string, io: EngineIO): KernelTableEntry[] =>
  [
    conv2dEngineConfig,
    fusedConv2dEngineConfig,
    conv2dBackpropInputEngineConfig,
    conv2dBackpropFilterEngineConfig,
    depthwiseConv2dBackpropInputEngineConfig,
    depthwiseConv2dBackpropFilterEngineConfig,
    batchMatMulEngineConfig,
    fusedMatMulEngineConfig,
    axisSoftmaxEngineConfig,
    axisSoftmaxGradEngineConfig,
  ].map((make) => {
    const config = make(backendName, io);
    const name = config.kernelName as keyof typeof ENGINE_WHY;
    return kernel(config, ENGINE_WHY[name], ENGINE_OTHERWISE[name]);
  });

/** The kernels and gradients {@link registerKernels} registers, by backend. */
export const KERNEL_TABLE: readonly KernelTableEntry[] = [
  ...engineKernels('cpu', cpuFloatIO),
  kernel(
    maxPoolGradCpuConfig,
    "the stock kernel (strided by channel) is the slowest op of a small CNN's step; this one walks NHWC in order",
    'nothing: this one takes every call',
  ),
  kernel(sumCpuConfig, `bias gradients: ${LEADING_AXES}`, OTHER_AXES_TO_STOCK),
  kernel(meanCpuConfig, `batch-norm moments: ${LEADING_AXES}`, OTHER_AXES_TO_STOCK),
  kernel(floatKernelCpuConfig(floatBatchNormTraining), BN_FORWARD, BN_OTHERWISE),
  kernel(floatKernelCpuConfig(floatBatchNormTrainingGrad), BN_BACKWARD, BN_OTHERWISE),
  kernel(reluGradCpuConfig, RELU_GRAD, RELU_GRAD_OTHERWISE),
  kernel(floatKernelCpuConfig(floatAdamUpdate), ADAM, ADAM_OTHERWISE),
  kernel(floatKernelCpuConfig(floatMovingAverages), MOVING, MOVING_OTHERWISE),
  ...engineKernels('wasm', wasmEngineIO),
  kernel(
    addEngineConfig('wasm', wasmEngineIO),
    "the residual sums, gradient sums and bias adds on the engine, on every thread (tfjs-wasm's Add is one thread: a tenth of a resinv step)",
    `the stock kernel, under ${ENGINE_ADD_MIN_FLOATS} floats (a bias: ${ENGINE_BIAS_ADD_MIN_FLOATS}), for other broadcasts and for integers`,
  ),
  kernel(
    reluEngineConfig('wasm', wasmEngineIO),
    "the ReLUs after residual sums on the engine, on every thread (tfjs-wasm's Relu is one thread), the same bits",
    `the stock kernel on one thread, under ${ENGINE_RELU_MIN_FLOATS} floats and for integers`,
  ),
  kernel(
    maxPoolGradWasmConfig,
    `the stock kernel drops the gradient of every window whose maximum is negative (tfjs 4.22), and is slower; 2×2 stride 2 ${STREAMING} (6–8× the JS loop on [256,32,32,32])`,
    'nothing: this one takes every call; other windows, or without WebAssembly SIMD, a JS loop',
  ),
  kernel(
    avgPoolGradWasmConfig,
    `RedNet's strided involutions average-pool 2×2: the stock kernel walks windows per channel, 14–16× slower than a pass ${STREAMING}`,
    'the stock kernel, for other windows, or without WebAssembly SIMD',
  ),
  kernel(
    sumWasmConfig,
    `bias gradients: ${LEADING_AXES}; batch norm's moments pass about a zero row, ${STREAMING}`,
    OTHER_AXES_TO_STOCK,
  ),
  kernel(meanWasmConfig, `batch-norm moments: ${LEADING_AXES}; ${STREAMING}`, OTHER_AXES_TO_STOCK),
  kernel(
    identityWasmConfig,
    'by reference, as cpu and webgpu do: the stock kernel copies every tensor a gradient saves (the engine clones each)',
    'the stock kernel, for string tensors',
  ),
  kernel(
    castWasmConfig,
    'a cast to the dtype a tensor has, by reference: tfjs casts every avgPool output to float32 (a copy each way)',
    'the stock kernel, for a change of dtype and for strings',
  ),
  kernel(
    batchNormTrainingWasmConfig,
    `${BN_FORWARD}; ${STREAMING} (2× the JS passes on [256,32,32,32] and [64,16,16,256])`,
    `${BN_OTHERWISE}; ${STREAMING_OTHERWISE}`,
  ),
  kernel(
    batchNormTrainingGradWasmConfig,
    `${BN_BACKWARD}; ${STREAMING} (1.8–2.2× the JS passes)`,
    `${BN_OTHERWISE}; ${STREAMING_OTHERWISE}`,
  ),
  kernel(
    reluGradWasmConfig,
    `${RELU_GRAD}; ${STREAMING} (2.4× Step + Cast + Multiply on [256,32,32,32])`,
    `${RELU_GRAD_OTHERWISE}; ${STREAMING_OTHERWISE}`,
  ),
  kernel(adamUpdateWasmConfig, `${ADAM}; a SIMD pass on the engine, in place on the heap`, ADAM_OTHERWISE),
  kernel(floatKernelWasmConfig(floatMovingAverages), MOVING, MOVING_OTHERWISE),
  gradient(
    fusedBatchNormGradConfig,
    "broadcast arithmetic: the stock gradient tiles 1/σ to x's full size, ≈ 40% of a RedNet-26 training step on wasm",
    "tfjs's own gradient",
  ),
  gradient(
    reluGradConfig,
    'one `InvReluGrad` kernel where the backend has it (cpu, wasm), for the stock Step, Cast and Multiply (2.4× faster on wasm at [256,32,32,32])',
    'the stock formula, `mul(dy, cast(step(x)))`, on backends without `InvReluGrad`',
  ),
  gradient(
    invReluGradGradConfig,
    'second derivatives through a ReLU, as the stock formula has them (linear in dy; step has gradient 0)',
    "nothing: the kernel is inv's",
  ),
];
