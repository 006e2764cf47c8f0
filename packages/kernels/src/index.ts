// The public API of @inv/kernels: one explicit list.

// Registration, from one declarative table.
export { registerKernels } from './register_kernels.js';
export { KERNEL_TABLE } from './table.js';
export type { KernelTableEntry } from './table.js';
export { stockKernel } from './stock_kernels.js';

// The batch-norm training kernels' names and attributes (the op is @inv/core's batchNormTraining).
export {
  BATCH_NORM_ACTIVATIONS,
  BatchNormTraining,
  BatchNormTrainingGrad,
  InvReluGrad,
  AdamUpdate,
  MovingAverages,
  AxisSoftmax,
  AxisSoftmaxGrad,
} from './kernel_names.js';
export type {
  AdamUpdateAttrs,
  AxisSoftmaxAttrs,
  BatchNormActivation,
  BatchNormTrainingAttrs,
  MovingAveragesAttrs,
} from './kernel_names.js';

// The adapters: the only code touching the cpu and wasm backends' internals, for kernels written elsewhere.
export type { KernelBackendArg } from './adapters/kernel_backend.js';
export { cpuFloats, cpuTensor } from './adapters/cpu.js';
export {
  backendHeap,
  disposeHeapTensor,
  heapEngineMemory,
  heapFloats,
  heapOutput,
  heapTensor,
  shareTensor,
} from './adapters/wasm.js';
export type { BackendHeap } from './adapters/wasm.js';
export { instancePerMemory } from './adapters/instance_per_memory.js';
export type { ModuleInstance } from './adapters/instance_per_memory.js';
export { onSharedWasmHeap } from './adapters/wasm_shared_heap.js';

// The engine (numerics, no tfjs): for benchmarks and advanced users.
export { createEngine, resolveThreadCount } from './engine/engine.js';
export type { ThreadedEngine } from './engine/engine.js';
export { engineModule, fmaSupported } from './engine/variant.js';
export { gemm, rowMajorOperand } from './engine/gemm.js';
export { addRows, relu } from './engine/elementwise.js';
export type { GemmProblem, MatrixOperand } from './engine/gemm.js';
export { conv2dForward, conv2dBackpropInput, conv2dBackpropFilter } from './engine/conv2d.js';
export { conv2dGeometry } from './engine/conv_geometry.js';
export type { Conv2dGeometry, Conv2dSpec } from './engine/conv_geometry.js';
export { engineThreads, prepareEngine, setEngineThreads } from './engine/process_engine.js';
export { awaitModuleWorkers, moduleRunner } from './engine/module_runners.js';
export type { Engine, EngineMemory, TaskRunner } from './engine/types.js';
