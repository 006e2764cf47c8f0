import * as tf from '@tensorflow/tfjs';
import { median, timeCalls } from '../site/timing.js';
import { BENCH_OPS, benchInputs, shapeLabel, type BenchShape } from './cases.js';

/** One measured (shape, op) pair. */
export interface BenchRow {
  readonly shape: string;
  readonly op: string;
  readonly medianMs: number;
  readonly calls: number;
}

/**
 * Times every op on `shape`: one untimed call first (it compiles the GPU programs), then the median of `calls`
 * calls. Rows are reported as they finish.
 */
export async function benchShape(
  shape: BenchShape,
  calls: number,
  onRow: (row: BenchRow) => void,
): Promise<void> {
  const inputs = benchInputs(shape);
  try {
    for (const op of BENCH_OPS) {
      await timeCalls(() => op.run(inputs, shape), 1);
      const times = await timeCalls(() => op.run(inputs, shape), calls);
      onRow({ shape: shapeLabel(shape), op: op.name, medianMs: median(times), calls });
    }
  } finally {
    tf.dispose([inputs.x, inputs.kernel, inputs.filter]);
  }
}
