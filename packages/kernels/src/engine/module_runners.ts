import { createPool } from './pool.js';
import { serialRunner } from './serial.js';
import type { Engine, EngineMemory, TaskRunner } from './types.js';

interface Runner {
  threads: number;
  runner: TaskRunner;
  dispose(): void;
}

/** Per module, per memory: the runner of the tasks of that module's instance on that memory. */
const runners = new WeakMap<WebAssembly.Module, WeakMap<WebAssembly.Memory, Runner>>();

/**
 * The task runner of `module`'s instance `exports` on `memory`, a memory that is not an engine's own (a
 * backend's heap): on `threads` threads where the memory is shared (a pool whose workers instantiate `module`
 * on it, so tasks work in place on what the calling thread's instance sees), else on the calling thread.
 * One per module and memory; asking with another thread count ends it and makes a new one.
 */
export function moduleRunner(
  module: WebAssembly.Module,
  memory: EngineMemory,
  exports: Engine['exports'],
  threads: number,
): TaskRunner {
  const count = memory.shared ? threads : 1;
  let perMemory = runners.get(module);
  if (perMemory === undefined) {
    perMemory = new WeakMap();
    runners.set(module, perMemory);
  }
  let found = perMemory.get(memory.memory);
  if (found !== undefined && found.threads !== count) {
    found.dispose();
    found = undefined;
  }
  if (found === undefined) {
    if (count === 1) {
      found = { threads: 1, runner: serialRunner(memory, exports), dispose: () => undefined };
    } else {
      const pool = createPool({ module, memory, exports, threads: count });
      found = { threads: count, runner: pool, dispose: () => pool.dispose() };
    }
    perMemory.set(memory.memory, found);
  }
  return found.runner;
}
