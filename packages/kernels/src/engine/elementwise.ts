import { Allocations } from './allocations.js';
import { ceilDiv } from './tiles.js';
import type { Engine } from './types.js';

/** Floats a task adds: enough that handing it out is cheap next to it (about 30 µs at memory speed). */
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
