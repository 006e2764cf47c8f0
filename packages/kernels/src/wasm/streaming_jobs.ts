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

/** A channels-last tensor's rows seen `group` at a time: `rows` rows of `C` = group · channels floats. */
export interface WideRows {
  readonly group: number;
  readonly rows: number;
  readonly C: number;
}

/**
 * The streaming passes go four channels a vector and the rest one at a time, so a channel count off the
 * multiples of 4 (a kernel generator's 1, 3 or 9 channels) runs mostly scalar. Seen `group` rows at a time
 * (1, 2, 3 channels → rows of 4, 4, 12; 9 → 36), every lane works: per-channel sums fold back
 * ({@link foldSums}), per-channel parameters tile ({@link tileRows}). One row at a time where the rows do
 * not divide into groups. Measured at [256, 32, 32, C] (wasm, 2 threads, one run), batch-norm forward +
 * backward: C 1 4.43 → 0.94 ms, C 3 7.63 → 1.91, C 9 7.58 → 6.03.
 */
export function wideRows(rows: number, channels: number): WideRows {
  const group = channels % 4 === 0 ? 1 : channels % 2 === 0 ? 2 : 4;
  return rows % group === 0
    ? { group, rows: rows / group, C: group * channels }
    : { group: 1, rows, C: channels };
}

/**
 * The per-channel sums (Σ, then Σ² of each of the wide row's columns, 2·wide.C) folded to `channels`: column
 * s·channels + c adds into channel c, s in order.
 */
export function foldSums(sums: Float64Array, wide: WideRows): Float64Array {
  if (wide.group === 1) return sums;
  const channels = wide.C / wide.group;
  const folded = new Float64Array(2 * channels);
  for (let k = 0; k < 2; k++) {
    for (let s = 0; s < wide.group; s++) {
      for (let c = 0; c < channels; c++) folded[k * channels + c]! += sums[k * wide.C + s * channels + c]!;
    }
  }
  return folded;
}

/** Writes `rows` (each `channels` floats, e.g. a mean, a gain) at `at`, each repeated over the wide row's group. */
export function tileRows(
  memory: WebAssembly.Memory,
  at: number,
  wide: WideRows,
  rows: ArrayLike<number>[],
): void {
  const out = new Float32Array(memory.buffer, at, rows.length * wide.C);
  const channels = wide.C / wide.group;
  rows.forEach((row, r) => {
    for (let i = 0; i < wide.C; i++) out[r * wide.C + i] = row[i % channels]!;
  });
}
