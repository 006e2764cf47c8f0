import { createPool, type Pool, type PoolModule } from './pool.js';
import type { Engine, EngineMemory, TaskRunner } from './types.js';

/**
 * The modules on one memory and the pool that runs them all. One pool per memory, not per module: on the
 * wasm backend's heap three modules run tasks (the engine in place, the streaming kernels, @inv/core's
 * involution kernels), and a pool each kept three workers on two cores beside the calling thread (seed-inv's
 * step: 3 threads runnable in 32% of samples, the worker's tasks 30% slower than the calling thread's). One
 * pool, 2-thread step medians of interleaved runs: seed-inv 20.5 → 19.0 ms, RedNet-26 404 → 387 ms.
 */
interface MemoryPool {
  threads: number;
  memory: EngineMemory;
  modules: PoolModule[];
  pool: Pool;
}

/** Every memory's pool, for {@link awaitModuleWorkers} (one without workers has nothing to wait for). */
const live = new Set<MemoryPool>();

/** Per memory: its pool. */
const pools = new WeakMap<WebAssembly.Memory, MemoryPool>();

/** Per module, per memory: the runner handed out, which follows its memory's pool as that is replaced. */
const handedOut = new WeakMap<WebAssembly.Module, WeakMap<WebAssembly.Memory, TaskRunner>>();

/** Ends `entry`'s pool and starts one over its modules on `threads` threads (workers start in background). */
function restart(entry: MemoryPool, threads: number): void {
  entry.pool.dispose();
  entry.threads = threads;
  entry.pool = createPool({ modules: entry.modules, memory: entry.memory, threads });
}

/**
 * The task runner of `module`'s instance `exports` on `memory`, a memory that is not an engine's own (a
 * backend's heap): on `threads` threads where the memory is shared, else on the calling thread. Every module
 * on a memory runs on that memory's one pool, whose workers instantiate each module on it, so tasks work in
 * place on what the calling thread's instances see. A module new to the memory, or another thread count,
 * replaces the pool by one over all its modules (a few times at start-up; until the new workers are up, jobs
 * run on the calling thread).
 */
export function moduleRunner(
  module: WebAssembly.Module,
  memory: EngineMemory,
  exports: Engine['exports'],
  threads: number,
): TaskRunner {
  const count = memory.shared ? threads : 1;
  let entry = pools.get(memory.memory);
  if (entry === undefined) {
    const modules = [{ module, exports }];
    entry = { threads: count, memory, modules, pool: createPool({ modules, memory, threads: count }) };
    pools.set(memory.memory, entry);
    live.add(entry);
  } else if (!entry.modules.some((m) => m.module === module)) {
    entry.modules.push({ module, exports });
    restart(entry, count);
  } else if (entry.threads !== count) {
    restart(entry, count);
  }
  let perMemory = handedOut.get(module);
  if (perMemory === undefined) {
    perMemory = new WeakMap();
    handedOut.set(module, perMemory);
  }
  let runner = perMemory.get(memory.memory);
  if (runner === undefined) {
    const pooled = entry;
    const index = pooled.modules.findIndex((m) => m.module === module);
    runner = {
      get threads() {
        return pooled.threads;
      },
      run: (name, tasks, args, scratchBytes) =>
        pooled.pool.runner(index).run(name, tasks, args, scratchBytes),
    };
    perMemory.set(memory.memory, runner);
  }
  return runner;
}

/**
 * Blocks until the workers of every module pool made so far have started (each at most `timeoutMs`);
 * returns whether all have. For tests and benchmarks that want every thread from the first job on.
 */
export function awaitModuleWorkers(timeoutMs?: number): boolean {
  return [...live].every((entry) => entry.pool.waitForWorkers(timeoutMs));
}
