import { Allocations } from './allocations.js';
import { ceilDiv } from './tiles.js';
import type { Engine } from './types.js';

/**
 * Floats a task adds: 65,536 (256 kB of each operand), so that the adds of a training step split into enough
 * tasks to balance over the threads. Measured (wasm, 2 threads with spinning workers, idle Xeon; ms with tasks
 * of 262,144 / 65,536): [262144] + [262144] 0.117 / 0.040, [256,1024] + [1024] 0.058 / 0.026,
 * [128,8,8,96] twice 0.242 / 0.197, [128,16,16,27] + [27] 0.177 / 0.154; [131072] twice 0.037 / 0.032 (one
 * thread: 0.033).
 */
const TASK_FLOATS = 65536;

/**
 * out = a + b over `length` floats (engine.wat's `addRows`), b either as long as a or `bLength` floats
 * repeated (a bias over the last axes: bLength divides length). Tasks own disjoint runs of out.
 */
export function addRows(
  engine: Engine,
  a: number,
  b: number,
  out: number,
  length: number,
  bLength: number,
): void {
  if (length === 0) return;
  if (bLength < 1 || length % bLength !== 0) {
    throw new Error(`addRows: b's ${bLength} floats must be as many as a's ${length} or divide them`);
  }
  // As long as a: rows are only a split of the run; a bias: rows are its repeats.
  const [n, bStep] =
    bLength === length ? [Math.min(length, TASK_FLOATS), 4 * Math.min(length, TASK_FLOATS)] : [bLength, 0];
  const rows = ceilDiv(length, n);
  const rowsPerTask = Math.max(1, Math.floor(TASK_FLOATS / n));
  const scope = new Allocations(engine.memory);
  try {
    const args = scope.args([a, b, out, n, length, bStep, rowsPerTask]);
    engine.runner.run('addRows', ceilDiv(rows, rowsPerTask), args, 0);
  } finally {
    scope.free();
  }
}

/**
 * out = relu(x) over `length` floats (engine.wat's `reluRows`), tfjs-wasm's Relu bit for bit: x where x > 0
 * or x is NaN, else +0. Tasks own disjoint runs of out.
 */
export function relu(engine: Engine, x: number, out: number, length: number): void {
  if (length === 0) return;
  const scope = new Allocations(engine.memory);
  try {
    const args = scope.args([x, out, length, TASK_FLOATS]);
    engine.runner.run('reluRows', ceilDiv(length, TASK_FLOATS), args, 0);
  } finally {
    scope.free();
  }
}
