/**
 * One optimisation step of a reference model, and its inference on a batch. The step is the trainer's
 * (@inv/models' `trainStepPending`): the model applied in training mode (BN batch statistics, moving averages
 * updated), mean softmax cross-entropy of the logits against the labels, Adam (`fusedAdam`) over the
 * trainable variables, the correct count beside the loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedAdam } from '@inv/core';
import {
  createModel,
  trainableVariables,
  trainStepPending,
  type InvolutionClassifierOptions,
} from '@inv/models';
import type { PreparedCase } from '../harness/types.js';

const SEED = 20210619;
const IMAGE: readonly [number, number, number] = [32, 32, 3];
const CLASSES = 10;

type ModelOptions = Omit<InvolutionClassifierOptions, 'inputShape' | 'numClasses' | 'seed'>;

function referenceModel(name: string, options: ModelOptions): ReturnType<typeof createModel> {
  return createModel(name, { ...options, inputShape: [...IMAGE], numClasses: CLASSES, seed: 1 });
}

/** A fixed-seed batch of images. */
function images(batch: number): tf.Tensor4D {
  return tf.randomNormal([batch, ...IMAGE], 0, 1, 'float32', SEED) as tf.Tensor4D;
}

/**
 * Model `name` from `@inv/models` (with `options`, e.g. a generator), Adam and a fixed-seed batch of `batch`
 * images; each run is one step.
 */
export function prepareTrainStep(name: string, batch: number, options: ModelOptions = {}): PreparedCase {
  const model = referenceModel(name, options);
  // The trainer's Adam (tfjs's, bit for bit, one kernel a variable where the backend has it).
  const optimizer = fusedAdam();
  const variables = trainableVariables(model);
  const x = images(batch);
  const labels = tf.randomUniform([batch], 0, CLASSES, 'int32', SEED + 1) as tf.Tensor1D;
  return {
    // The loss comes back first so the harness waits for the step (and the test can see it fall).
    run: () => {
      const step = trainStepPending(model, optimizer, variables, x, labels);
      return [step.loss, step.correct];
    },
    imagesPerRun: batch,
    dispose: () => {
      model.dispose();
      optimizer.dispose();
      tf.dispose([x, labels]);
    },
  };
}

/**
 * Model `name`'s logits for a fixed-seed batch in inference mode (BN's moving statistics), as `inv evaluate`
 * and each epoch's test pass compute them (@inv/models' evaluation): each run is one batch.
 */
export function prepareInference(name: string, batch: number, options: ModelOptions = {}): PreparedCase {
  const model = referenceModel(name, options);
  const x = images(batch);
  return {
    // apply, as the test pass does: predict would cut the batch into batches of 32 (and copy each out).
    run: () => [model.apply(x, { training: false }) as tf.Tensor],
    imagesPerRun: batch,
    dispose: () => {
      model.dispose();
      x.dispose();
    },
  };
}
