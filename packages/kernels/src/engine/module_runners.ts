import { createPool } from './pool.js';
import { serialRunner } from './serial.js';
import type { Engine, EngineMemory, TaskRunner } from './types.js';

interface Runner {
  threads: number;
  runner: TaskRunner;
  /** Blocks until the runner's workers have started (at most `timeoutMs`); whether they all have. */
  waitForWorkers(timeoutMs?: number): boolean;
  dispose(): void;
}

/** The runners with workers now, for {@link awaitModuleWorkers}. */
const live = new Set<Runner>();

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
    live.delete(found);
    found = undefined;
  }
  if (found === undefined) {
    if (count === 1) {
      found = {
        threads: 1,
        runner: serialRunner(memory, exports),
        waitForWorkers: () => true,
        dispose: () => undefined,
      };
    } else {
      const pool = createPool({ module, memory, exports, threads: count });
      found = {
        threads: count,
        runner: pool,
        waitForWorkers: (timeoutMs) => pool.waitForWorkers(timeoutMs),
        dispose: () => pool.dispose(),
      };
      live.add(found);
    }
    perMemory.set(memory.memory, found);
  }
  return found.runner;
}

/**
 * Blocks until the workers of every module runner made so far have started (each at most `timeoutMs`);
 * returns whether all have. For tests and benchmarks that want every thread from the first job on.
 */
export function awaitModuleWorkers(timeoutMs?: number): boolean {
  return [...live].every((runner) => runner.waitForWorkers(timeoutMs));
}
