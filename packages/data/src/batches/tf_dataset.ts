import { data } from '@tensorflow/tfjs';
import { checkDataset, type Cifar10Dataset } from '../cifar10/dataset.js';
import type { Batch } from './iterator.js';
import { epochIterator } from './iterator.js';
import { resolveBatchOptions } from './options.js';
import type { BatchOptions } from './options.js';

/**
 * A `tf.data.Dataset` of {@link Batch}es for `model.fitDataset`. Each pass (fitDataset starts one per epoch) is
 * the next epoch: a new seeded order and new augmentation draws, starting at `options.epoch`.
 */
export function toTfDataset(dataset: Cifar10Dataset, options?: BatchOptions): data.Dataset<Batch> {
  checkDataset('toTfDataset', dataset);
  const resolved = resolveBatchOptions('toTfDataset', options);
  let epoch = resolved.epoch;
  // fitDataset makes an iterator at the start and another per epoch, and discards the first one unread; an epoch
  // number is therefore spent only once an iterator is actually read.
  return data.generator(() => {
    let inner: AsyncIterableIterator<Batch> | undefined;
    return {
      next: () => (inner ??= epochIterator(dataset, resolved, epoch++)).next(),
    };
  });
}
