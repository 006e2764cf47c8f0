/**
 * A small WebAssembly module that works on a memory it imports (a backend's heap, in place), instantiated once
 * per memory. It is compiled synchronously, which browsers allow on the main thread below 4 kB (each such
 * module's tests keep it there). The getter returns null where the module cannot run: no SIMD or bulk memory
 * (validate fails), or a memory it cannot import (a shared, threaded heap).
 */
export function instancePerMemory<Exports>(
  bytes: Uint8Array<ArrayBuffer>,
): (memory: WebAssembly.Memory) => Exports | null {
  let compiled: WebAssembly.Module | null | undefined;
  const instances = new WeakMap<WebAssembly.Memory, Exports | null>();
  return (memory) => {
    let exports = instances.get(memory);
    if (exports === undefined) {
      compiled ??= WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
      try {
        exports =
          compiled === null
            ? null
            : (new WebAssembly.Instance(compiled, { env: { memory } }).exports as Exports);
      } catch {
        exports = null;
      }
      instances.set(memory, exports);
    }
    return exports;
  };
}
