// The platform-neutral part of the public API, re-exported whole by both entries (`index.ts` for Node,
// `browser.ts` for browsers): one explicit list, so the two entries cannot drift apart.
export { DataError } from './errors.js';
export type { DataErrorCode } from './errors.js';
export type { Progress, ProgressCallback } from './progress.js';

export type { Cifar10Dataset } from './cifar10/dataset.js';
export {
  BATCHES_DIR,
  CIFAR10_MD5,
  CIFAR10_URL,
  CLASS_NAMES,
  IMAGE_SIZE,
  CHANNELS,
  META_FILE,
  NUM_CLASSES,
  RECORDS_PER_FILE,
  splitFiles,
} from './cifar10/format.js';
export type { Cifar10Split } from './cifar10/format.js';

export { batchIterator } from './batches/iterator.js';
export type { Batch, BatchIteratorOptions } from './batches/iterator.js';
export { toTfDataset } from './batches/tf_dataset.js';
export type { BatchOptions } from './batches/options.js';
export type { Augmentation } from './batches/augment.js';
export { CIFAR10_STATS, channelStats, normalizationTable } from './batches/normalize.js';
export type { ChannelStats, Normalization, Rgb } from './batches/normalize.js';
export { mulberry32 } from './batches/prng.js';
export type { Random } from './batches/prng.js';
export { shuffledIndices } from './batches/shuffle.js';
