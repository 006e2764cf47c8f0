/**
 * The contract between the engine's numerics (the WebAssembly module and its JS drivers) and whatever runs
 * them: one thread, or a pool of workers sharing one memory. Nothing here imports tfjs.
 *
 * A parallel kernel is an export of the engine module with the signature `(task, args, scratch)`, all i32:
 * `task` in [0, tasks), `args` the byte address of the job's argument block (written by the driver before
 * the job, read-only during it), `scratch` the byte address of a 16-byte aligned area private to the thread
 * running the task, of at least the job's `scratchBytes`. A task writes memory no other task of the job
 * writes, and what it writes depends only on its index and the job's inputs (never on which thread runs it or
 * on the scratch's previous contents): that makes results bit-identical for any thread count.
 */

/** Allocation in the memory the engine module works on. Addresses are byte offsets, 16-byte aligned. */
export interface EngineMemory {
  readonly memory: WebAssembly.Memory;
  /** Whether `memory` is shared (a SharedArrayBuffer behind it), i.e. usable by worker threads. */
  readonly shared: boolean;
  /** Allocates `bytes` (16-byte aligned); grows the memory when needed. */
  alloc(bytes: number): number;
  /** Frees an allocation made by `alloc`. */
  free(address: number): void;
  /** A fresh view (views taken before an `alloc` may be stale after it: growth replaces the buffer). */
  f32(address: number, length: number): Float32Array;
  i32(address: number, length: number): Int32Array;
}

/** Runs the tasks of a job. */
export interface TaskRunner {
  /** Threads the tasks are spread over (1: the calling thread only). */
  readonly threads: number;
  /**
   * Runs `exports[name](task, args, scratch)` for every task in [0, tasks), returning when all are done. The
   * calling thread takes part. Throws if a task traps (naming the export).
   */
  run(name: string, tasks: number, args: number, scratchBytes: number): void;
}

/** A ready engine: its memory, the exports of its instance on the calling thread, and its task runner. */
export interface Engine {
  readonly memory: EngineMemory;
  readonly exports: Record<string, (...args: number[]) => number | void>;
  readonly runner: TaskRunner;
  /** Ends the worker threads (if any). The engine must not be used afterwards. */
  dispose(): void;
}
