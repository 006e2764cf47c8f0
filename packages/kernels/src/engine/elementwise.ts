import { Allocations } from './allocations.js';
import { ceilDiv } from './tiles.js';
import type { Engine } from './types.js';

/**
 * Floats a task adds: a quarter-million (about 0.1 ms at memory speed), so that an add under it stays on the
 * calling thread, where waking the workers would cost more than they save ([256] + [1024] on 4 tasks of 65,536:
 * 0.080 ms on 2 threads against 0.063 on one).
 */
const TASK_FLOATS = 262144;

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
