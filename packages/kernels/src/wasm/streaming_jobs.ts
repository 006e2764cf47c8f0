import { STREAMING_TASKS, withScratch, type StreamingKernels } from '../streaming/streaming_instance.js';

/*
 * Jobs of the streaming module's task exports (streaming.wat): the batch-norm passes' rows in tasks of a fixed
 * ROWS_PER_TASK, per-task float64 partial sums added in task order, so the result is the same bits on any number
 * of threads; the elementwise and pooling kernels in fixed runs of elements or an image a task.
 */

export const F32 = 4;
const F64 = 8;
/** A job's argument block (up to 9 i32 words), and the slack that aligns it to 16 bytes. */
export const ARGS_BYTES = 48;
export const ALIGN_SLACK = 16;
/**
 * Rows per task: fixed (never the thread count), so that the partial sums, added in task order, are the same
 * on any number of threads. 1,024 rows give 32 tasks at resinv's 128·16·16 rows, enough to balance 2–16
 * threads, and partials of at most a few hundred kB.
 */
export const ROWS_PER_TASK = 1024;

export const taskCount = (rows: number): number => Math.max(1, Math.ceil(rows / ROWS_PER_TASK));

/** The 16-byte aligned argument block in scratch allocated with ALIGN_SLACK. */
export const argsAt = (scratch: number): number => Math.ceil(scratch / 16) * 16;

/** Writes the job's arguments (i32 words) at `args`. */
export function writeArgs(memory: WebAssembly.Memory, args: number, words: readonly number[]): void {
  new Int32Array(memory.buffer, args, words.length).set(words);
}

/** Adds the tasks' partial sums (each 2C float64 at acc + t·16C) in task order into the first partial. */
export function addPartials(memory: WebAssembly.Memory, acc: number, tasks: number, C: number): Float64Array {
  const all = new Float64Array(memory.buffer, acc, tasks * 2 * C);
  const sums = all.subarray(0, 2 * C);
  for (let t = 1; t < tasks; t++) {
    const partial = all.subarray(t * 2 * C, (t + 1) * 2 * C);
    for (let k = 0; k < 2 * C; k++) sums[k]! += partial[k]!;
  }
  return sums;
}

/** Bytes of scratch for the partial sums of {@link channelMoments} over `rows` rows of C channels. */
export const momentsScratchBytes = (rows: number, C: number): number => taskCount(rows) * 2 * C * F64;

/**
 * The moments pass over `rows` rows of C channels at `x` about the row at `shift`, as tasks: per channel
 * Σ(x − shift) then Σ(x − shift)², float64, the tasks' partials (at `acc`, momentsScratchBytes) added in task
 * order. `args` is a 16-byte aligned block of ARGS_BYTES.
 */
export function channelMoments(
  run: StreamingKernels,
  args: number,
  acc: number,
  x: number,
  rows: number,
  C: number,
  shift: number,
): Float64Array {
  writeArgs(run.heap.memory, args, [x, rows, C, acc, shift, ROWS_PER_TASK]);
  run.runner.run(STREAMING_TASKS.moments, taskCount(rows), args, 0);
  return addPartials(run.heap.memory, acc, taskCount(rows), C);
}

/** Runs `tasks` tasks of the streaming module's `name` on `words`, its i32 arguments (at most 12). */
export function runJob(
  run: StreamingKernels,
  name: (typeof STREAMING_TASKS)[keyof typeof STREAMING_TASKS],
  tasks: number,
  words: readonly number[],
): void {
  withScratch(run.heap, ALIGN_SLACK + ARGS_BYTES, (scratch) => {
    const args = argsAt(scratch);
    writeArgs(run.heap.memory, args, words);
    run.runner.run(name, tasks, args, 0);
  });
}
