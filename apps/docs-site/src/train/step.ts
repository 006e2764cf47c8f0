import type * as tf from '@tensorflow/tfjs';
import { batchIterator, type Cifar10Dataset } from '@inv/data/browser';
import { evaluateBatch, trainableVariables, trainStep as modelTrainStep } from '@inv/models';

/** One step's figures: mean loss and correct count over the batch. */
export interface StepResult {
  readonly loss: number;
  readonly correct: number;
  readonly count: number;
}

/** One optimisation step (BN in training mode), as `inv train` takes it (`@inv/models`' `trainStep`). */
export async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor4D,
  ys: tf.Tensor1D,
): Promise<StepResult> {
  const { lossSum, correct, count } = await modelTrainStep(
    model,
    optimizer,
    trainableVariables(model),
    xs,
    ys,
  );
  return { loss: lossSum / count, correct, count };
}

/** A split's loss and accuracy in inference mode, and the predicted class of every image (file order). */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
  readonly predictions: Uint8Array;
}

/** Evaluates `model` on all of `data` (`@inv/models`' `evaluateBatch`), yielding to the page between batches. */
export async function evaluateSplit(
  model: tf.LayersModel,
  data: Cifar10Dataset,
  batchSize: number,
  yieldToPage: () => Promise<void>,
): Promise<Evaluation> {
  const predictions = new Uint8Array(data.size);
  let lossSum = 0;
  let correct = 0;
  let at = 0;
  for await (const { xs, ys } of batchIterator(data, { batchSize, shuffle: false })) {
    const batch = await evaluateBatch(model, xs as tf.Tensor4D, ys as tf.Tensor1D, { predictions: true });
    xs.dispose();
    ys.dispose();
    lossSum += batch.lossSum;
    correct += batch.correct;
    predictions.set(batch.predicted!, at);
    at += batch.count;
    await yieldToPage();
  }
  return { loss: lossSum / data.size, accuracy: correct / data.size, predictions };
}
