import { instancePerMemory } from '@inv/kernels';
import { involutionWasmBytes } from './involution_wasm.js';

/** The module's exports (see involution.wat): every argument is an i32 (a byte address, count or size). */
export interface InvolutionSimdExports {
  gather: (...args: number[]) => void;
  kernelGradient: (...args: number[]) => void;
}

const instance = instancePerMemory<InvolutionSimdExports>(involutionWasmBytes);

/** The SIMD kernels working in place on `memory`, or undefined where they cannot run here. */
export function involutionSimd(memory: WebAssembly.Memory): InvolutionSimdExports | undefined {
  return instance(memory)?.exports;
}
