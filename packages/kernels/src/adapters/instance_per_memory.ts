import { shareImportedMemory } from '../wasm_module/shared_memory.js';

/** A module's instance on one memory, and the module (for worker threads to instantiate on it too). */
export interface ModuleInstance<Exports> {
  module: WebAssembly.Module;
  exports: Exports;
}

/**
 * A small WebAssembly module that works on a memory it imports (a backend's heap, in place), instantiated once
 * per memory: as it is on a private memory, and rewritten to import a shared one on a shared heap (a wasm
 * backend started by `onSharedWasmHeap`). It is compiled synchronously, which browsers allow on the main
 * thread below 4 kB (each such module's tests keep it there). The getter returns null where the module cannot
 * run: no SIMD or bulk memory (validate fails), or a memory it cannot import.
 */
export function instancePerMemory<Exports>(
  bytes: Uint8Array<ArrayBuffer>,
): (memory: WebAssembly.Memory) => ModuleInstance<Exports> | null {
  const compiled = new Map<boolean, WebAssembly.Module | null>();
  const instances = new WeakMap<WebAssembly.Memory, ModuleInstance<Exports> | null>();
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
    let instance = instances.get(memory);
    if (instance === undefined) {
      const shared = typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
      const module = compile(shared);
      try {
        instance =
          module === null
            ? null
            : { module, exports: new WebAssembly.Instance(module, { env: { memory } }).exports as Exports };
      } catch {
        instance = null;
      }
      instances.set(memory, instance);
    }
    return instance;
  };
}
