/**
 * One training step and one evaluation batch of a classifier on integer labels, as `inv train` and the docs
 * site's Train page take them: softmax cross-entropy of the logits (Keras' `from_logits`), Node and browser.
 */
import * as tf from '@tensorflow/tfjs';
import { skipInputGradients } from './input_gradients.js';

/** Sums over one batch: the loss summed over images and the number classified correctly. */
export interface BatchTotals {
  lossSum: number;
  correct: number;
  count: number;
}

/**
 * Softmax cross-entropy of integer labels against logits (Keras' `from_logits=True`), with label smoothing ε
 * (targets (1 − ε) · one-hot + ε / classes, as Keras and PyTorch define it).
 */
function crossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  reduction: tf.Reduction,
  labelSmoothing = 0,
): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(
    tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]),
    logits,
    undefined,
    labelSmoothing,
    reduction,
  );
}

function correctCount(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32'));
}

/** The trainable tf.Variables behind a layers model's weights, in the model's (stable) order. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** A step's loss and correct count, still on the backend: {@link readSteps} reads many at once. */
export interface PendingStep {
  /** The mean loss over the batch (kept: the caller owns it until {@link readSteps}). */
  loss: tf.Scalar;
  correct: tf.Scalar;
  count: number;
}

/**
 * One optimisation step on a batch (BN in training mode, moving statistics updated), without reading
 * anything back: on a GPU the next steps queue behind it while its numbers are still being computed. The
 * first step of a model makes a Conv2D that reads the image run unfused ({@link skipInputGradients}): the
 * same bits, without a gradient of the image.
 */
export function trainStepPending(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  xs: tf.Tensor4D,
  ys: tf.Tensor1D,
  labelSmoothing = 0,
): PendingStep {
  skipInputGradients(model);
  let correct: tf.Scalar | undefined;
  const loss = optimizer.minimize(
    () => {
      const logits = model.apply(xs, { training: true }) as tf.Tensor2D;
      correct = tf.keep(correctCount(logits, ys));
      return crossEntropy(logits, ys, tf.Reduction.MEAN, labelSmoothing);
    },
    true,
    variables,
  ) as tf.Scalar;
  return { loss, correct: correct!, count: xs.shape[0] };
}

/**
 * The totals of `steps`, in order, read back in one transfer (their tensors disposed): the same numbers as
 * reading each step on its own.
 */
export async function readSteps(steps: readonly PendingStep[]): Promise<BatchTotals[]> {
  if (steps.length === 0) return [];
  const values = tf.tidy(() => tf.stack(steps.flatMap((s) => [s.loss, s.correct])));
  tf.dispose(steps.flatMap((s) => [s.loss, s.correct]));
  const read = await values.data();
  values.dispose();
  return steps.map(({ count }, i) => ({ lossSum: read[2 * i]! * count, correct: read[2 * i + 1]!, count }));
}

/** One optimisation step on a batch, as {@link trainStepPending}, its loss and correct count read back. */
export async function trainStep(...step: Parameters<typeof trainStepPending>): Promise<BatchTotals> {
  const [totals] = await readSteps([trainStepPending(...step)]);
  return totals!;
}

/** Options of {@link evaluateBatch}. */
export interface EvaluateBatchOptions {
  /** Average each image's logits with its mirror image's (test-time augmentation, as airbench does). */
  tta?: boolean;
  /** Also return each image's predicted class. */
  predictions?: boolean;
}

/** A batch's totals in inference mode, and where asked for, each image's predicted class. */
export interface BatchEvaluation extends BatchTotals {
  predicted?: Int32Array;
}

/** Loss and correct count of a batch in inference mode (BN with its moving statistics). */
export async function evaluateBatch(
  model: tf.LayersModel,
  xs: tf.Tensor4D,
  ys: tf.Tensor1D,
  options: EvaluateBatchOptions = {},
): Promise<BatchEvaluation> {
  const [loss, correct, predicted] = tf.tidy(() => {
    const predict = (x: tf.Tensor4D) => model.apply(x, { training: false }) as tf.Tensor2D;
    const logits: tf.Tensor2D = options.tta
      ? tf.div(tf.add(predict(xs), predict(tf.reverse(xs, 2))), 2)
      : predict(xs);
    return [
      crossEntropy(logits, ys, tf.Reduction.SUM),
      correctCount(logits, ys),
      options.predictions === true ? tf.argMax(logits, 1) : undefined,
    ];
  });
  const [lossValue, correctValue, predictedValues] = await Promise.all([
    loss.data(),
    correct.data(),
    predicted?.data(),
  ]);
  tf.dispose([loss, correct, ...(predicted === undefined ? [] : [predicted])]);
  return {
    lossSum: lossValue[0]!,
    correct: correctValue[0]!,
    count: xs.shape[0],
    ...(predictedValues === undefined ? {} : { predicted: predictedValues as Int32Array }),
  };
}
