import type { Engine, EngineMemory, TaskRunner } from './types.js';

const PAGE = 65536;
const ALIGN = 16;

/**
 * A one-thread engine on a non-shared memory of its own, with a bump allocator whose `free` of the most
 * recent allocations gives their space back (kernels allocate and free in stack order).
 */
export function createSerialEngine(module: WebAssembly.Module): Engine {
  const memory = new WebAssembly.Memory({ initial: 16 });
  let top = ALIGN;
  const sizes = new Map<number, number>();
  const engineMemory: EngineMemory = {
    memory,
    shared: false,
    alloc(bytes) {
      const address = top;
      top += Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
      if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / PAGE));
      sizes.set(address, top - address);
      return address;
    },
    free(address) {
      const size = sizes.get(address);
      if (size === undefined) throw new Error(`engine memory: free of ${address}, which is not allocated`);
      sizes.delete(address);
      // The space above the highest live allocation comes back.
      if (address + size === top) top = Math.max(ALIGN, ...[...sizes].map(([a, s]) => a + s));
    },
    f32: (address, length) => new Float32Array(memory.buffer, address, length),
    i32: (address, length) => new Int32Array(memory.buffer, address, length),
  };
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Engine['exports'];
  return {
    memory: engineMemory,
    exports,
    runner: serialRunner(engineMemory, exports),
    dispose: () => undefined,
  };
}

/** Runs a job's tasks in order on the calling thread, with one scratch area grown as jobs ask for more. */
export function serialRunner(memory: EngineMemory, exports: Engine['exports']): TaskRunner {
  let scratch = 0;
  let scratchSize = 0;
  return {
    threads: 1,
    run(name, tasks, args, scratchBytes) {
      const kernel = exports[name];
      if (kernel === undefined) throw new Error(`engine: the module has no export '${name}'`);
      if (scratchBytes > scratchSize) {
        if (scratchSize > 0) memory.free(scratch);
        scratch = memory.alloc(scratchBytes);
        scratchSize = scratchBytes;
      }
      for (let task = 0; task < tasks; task++) kernel(task, args, scratch);
    },
  };
}
