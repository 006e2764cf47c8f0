import { tensor1d, tensor2d, tensor4d } from '@tensorflow/tfjs-core';
import type { Tensor1D, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { Cifar10Dataset } from '../cifar10/dataset.js';
import { IMAGE_SIZE, CHANNELS, NUM_CLASSES } from '../cifar10/format.js';
import { integer } from '../check.js';
import { checkDataset } from '../cifar10/dataset.js';
import { Epoch } from './epoch.js';
import type { BatchArrays } from './epoch.js';
import { resolveBatchOptions } from './options.js';
import type { BatchOptions, ResolvedBatchOptions } from './options.js';

/**
 * A batch in the shape `model.fitDataset` expects. The consumer owns (and disposes) both tensors. (A type alias,
 * not an interface, so that it satisfies tf.data's `TensorContainer` index signature.)
 */
export type Batch = {
  /** float32 [B, 32, 32, 3], normalised (and augmented when asked). */
  readonly xs: Tensor4D;
  /** int32 class indices [B], or float32 one-hot [B, 10]. */
  readonly ys: Tensor1D | Tensor2D;
};

// A macrotask, so a batch is built while the consumer waits (GPU readback, I/O) rather than inside its await.
const later: (run: () => void) => void = globalThis.setImmediate ?? ((run) => setTimeout(run, 0));

/** Options of {@link batchIterator}: the batch options, and where in the epoch to start. */
export interface BatchIteratorOptions extends BatchOptions {
  /**
   * Start at batch k of the epoch (0-based), skipping the earlier ones without building them: a loop resumed
   * mid-epoch gets exactly the batches an uninterrupted one would have. Default 0.
   */
  readonly firstBatch?: number;
}

/**
 * One epoch of batches for a custom loop: `for await (const { xs, ys } of batchIterator(train, {...}))`.
 * Up to `prefetch` batches are built ahead as plain arrays; tensors are made only when a batch is taken, so an
 * iterator left early leaks nothing.
 */
export function batchIterator(
  dataset: Cifar10Dataset,
  options?: BatchIteratorOptions,
): AsyncIterableIterator<Batch> {
  const where = 'batchIterator';
  checkDataset(where, dataset);
  const resolved = resolveBatchOptions(where, options);
  const firstBatch = integer(where, 'firstBatch', options?.firstBatch ?? 0, 0);
  return epochIterator(dataset, resolved, resolved.epoch, firstBatch);
}

/** The iterator of one epoch with already-resolved options (shared with the tf.data adapter). */
export function epochIterator(
  dataset: Cifar10Dataset,
  options: ResolvedBatchOptions,
  epoch: number,
  firstBatch = 0,
): AsyncIterableIterator<Batch> {
  // Built on the first `next()`: tf.data creates iterators it never reads, and those must cost nothing.
  let plan: Epoch | undefined;
  const ahead: Array<Promise<BatchArrays>> = [];
  let scheduled = firstBatch;
  const schedule = (current: Epoch, count: number): void => {
    while (scheduled < current.batches && ahead.length < count) {
      const k = scheduled++;
      ahead.push(
        new Promise((resolve, reject) =>
          later(() => {
            try {
              resolve(current.batch(k));
            } catch (error) {
              reject(error as Error);
            }
          }),
        ),
      );
    }
  };
  const iterator: AsyncIterableIterator<Batch> = {
    async next() {
      plan ??= new Epoch(dataset, options, epoch);
      schedule(plan, 1);
      const pending = ahead.shift();
      if (pending === undefined) return { done: true, value: undefined };
      const arrays = await pending;
      // While the caller works on this batch, the next `prefetch` ones are built.
      schedule(plan, options.prefetch);
      return { done: false, value: toTensors(arrays, options.oneHot) };
    },
    async return() {
      ahead.length = 0;
      scheduled = Number.POSITIVE_INFINITY;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

function toTensors(arrays: BatchArrays, oneHot: boolean): Batch {
  const { size, x, y } = arrays;
  return {
    xs: tensor4d(x, [size, IMAGE_SIZE, IMAGE_SIZE, CHANNELS], 'float32'),
    ys: oneHot ? tensor2d(y, [size, NUM_CLASSES], 'float32') : tensor1d(y, 'int32'),
  };
}
