/** Loss and accuracy sums over batches, and the evaluation of a whole split with them. */
import * as tf from '@tensorflow/tfjs';
import { batchIterator, type Cifar10Dataset } from '@inv/data';
import { evaluateBatch, type BatchTotals } from '@inv/models';

export function emptyTotals(): BatchTotals {
  return { lossSum: 0, correct: 0, count: 0 };
}

export function addTotals(a: BatchTotals, b: BatchTotals): BatchTotals {
  return { lossSum: a.lossSum + b.lossSum, correct: a.correct + b.correct, count: a.count + b.count };
}

/** Loss and accuracy of `model` over a whole split, in inference mode (with `tta`, mirror-averaged). */
export async function evaluate(
  model: tf.LayersModel,
  data: Cifar10Dataset,
  batchSize: number,
  tta = false,
): Promise<{ loss: number; accuracy: number }> {
  let totals = emptyTotals();
  for await (const { xs, ys } of batchIterator(data, { batchSize, shuffle: false })) {
    totals = addTotals(totals, await evaluateBatch(model, xs as tf.Tensor4D, ys as tf.Tensor1D, { tta }));
    tf.dispose([xs, ys]);
  }
  return { loss: totals.lossSum / totals.count, accuracy: totals.correct / totals.count };
}
