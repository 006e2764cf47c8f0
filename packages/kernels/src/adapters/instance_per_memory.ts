import { shareImportedMemory } from '../wasm_module/shared_memory.js';

/**
 * A small WebAssembly module that works on a memory it imports (a backend's heap, in place), instantiated once
 * per memory: as it is on a private memory, and rewritten to import a shared one on a shared heap (a wasm
 * backend started by `onSharedWasmHeap`). It is compiled synchronously, which browsers allow on the main
 * thread below 4 kB (each such module's tests keep it there). The getter returns null where the module cannot
 * run: no SIMD or bulk memory (validate fails), or a memory it cannot import.
 */
export function instancePerMemory<Exports>(
  bytes: Uint8Array<ArrayBuffer>,
): (memory: WebAssembly.Memory) => Exports | null {
  const compiled = new Map<boolean, WebAssembly.Module | null>();
  const instances = new WeakMap<WebAssembly.Memory, Exports | null>();
  const compile = (shared: boolean): WebAssembly.Module | null => {
    let module = compiled.get(shared);
    if (module === undefined) {
      const variant = shared ? shareImportedMemory(bytes) : bytes;
      module = WebAssembly.validate(variant) ? new WebAssembly.Module(variant) : null;
      compiled.set(shared, module);
    }
    return module;
  };
  return (memory) => {
    let exports = instances.get(memory);
    if (exports === undefined) {
      const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
      const module = compile(shared);
      try {
        exports =
          module === null ? null : (new WebAssembly.Instance(module, { env: { memory } }).exports as Exports);
      } catch {
        exports = null;
      }
      instances.set(memory, exports);
    }
    return exports;
  };
}
