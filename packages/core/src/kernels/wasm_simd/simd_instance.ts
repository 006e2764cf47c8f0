import { instancePerMemory, type ModuleInstance } from '@inv/kernels';
import { involutionWasmBytes } from './involution_wasm.js';

/** The module's exports (see involution.wat): every argument is an i32 (a byte address, count or size). */
export interface InvolutionSimdExports {
  gather: (...args: number[]) => void;
  kernelGradient: (...args: number[]) => void;
  /** The task forms `(task, args, scratch)`: one image a task, the export's parameters as words at `args`. */
  gatherTask: (task: number, args: number, scratch: number) => void;
  kernelGradientTask: (task: number, args: number, scratch: number) => void;
}

const instance = instancePerMemory<InvolutionSimdExports>(involutionWasmBytes);

/** The SIMD kernels working in place on `memory` (with their module), or undefined where they cannot run here. */
export function involutionSimd(
  memory: WebAssembly.Memory,
): ModuleInstance<InvolutionSimdExports> | undefined {
  return instance(memory) ?? undefined;
}
