import { involutionWasmBytes } from './involution_wasm.js';

/** The module's exports (see involution.wat): every argument is an i32 (a byte address, count or size). */
export interface InvolutionSimdExports {
  gather: (...args: number[]) => void;
  kernelGradient: (...args: number[]) => void;
}

/** Compiled once; null where this engine lacks WebAssembly SIMD (validate fails) or bulk memory. */
let compiled: WebAssembly.Module | null | undefined;
/** One instance per memory it imports; null where instantiation failed (e.g. a shared, threaded heap). */
const instances = new WeakMap<WebAssembly.Memory, InvolutionSimdExports | null>();

function compiledModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    // Compiled synchronously: browsers allow that on the main thread below 4 kB (a test keeps it there).
    compiled = WebAssembly.validate(involutionWasmBytes) ? new WebAssembly.Module(involutionWasmBytes) : null;
  }
  return compiled;
}

/** The SIMD kernels working in place on `memory`, or undefined where they cannot run here. */
export function involutionSimd(memory: WebAssembly.Memory): InvolutionSimdExports | undefined {
  let exports = instances.get(memory);
  if (exports === undefined) {
    const module = compiledModule();
    try {
      exports =
        module === null
          ? null
          : (new WebAssembly.Instance(module, { env: { memory } })
              .exports as unknown as InvolutionSimdExports);
    } catch {
      exports = null;
    }
    instances.set(memory, exports);
  }
  return exports ?? undefined;
}
