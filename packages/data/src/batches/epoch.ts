import type { Cifar10Dataset } from '../cifar10/dataset.js';
import { NUM_CLASSES, PIXELS_PER_IMAGE } from '../cifar10/format.js';
import { drawCropFlip, writeImage } from './augment.js';
import type { ResolvedBatchOptions } from './options.js';
import { deriveSeed, mulberry32 } from './prng.js';
import { shuffledIndices } from './shuffle.js';

/** One batch as plain arrays: `x` float32 NHWC [size, 32, 32, 3]; `y` int32 [size] or one-hot float32 [size, 10]. */
export interface BatchArrays {
  readonly size: number;
  readonly x: Float32Array;
  readonly y: Int32Array | Float32Array;
}

// Stream tags for deriveSeed: the shuffle and the augmentation of an epoch draw from unrelated streams.
const SHUFFLE = 1;
const AUGMENT = 2;

/**
 * One pass over a dataset: its order and its batches. Batch k depends only on (seed, epoch, k), never on which
 * batches were made before, so prefetching and skipping cannot change the data.
 */
export class Epoch {
  readonly batches: number;
  private readonly order: Uint32Array | undefined;

  constructor(
    private readonly dataset: Cifar10Dataset,
    private readonly options: ResolvedBatchOptions,
    private readonly epoch: number,
  ) {
    const { size } = dataset;
    this.batches = options.dropRemainder
      ? Math.floor(size / options.batchSize)
      : Math.ceil(size / options.batchSize);
    this.order = options.shuffle
      ? shuffledIndices(size, deriveSeed(options.seed, epoch, SHUFFLE))
      : undefined;
  }

  batch(k: number): BatchArrays {
    const { dataset, options, order } = this;
    const start = k * options.batchSize;
    const size = Math.min(options.batchSize, dataset.size - start);
    const x = new Float32Array(size * PIXELS_PER_IMAGE);
    const y = options.oneHot ? new Float32Array(size * NUM_CLASSES) : new Int32Array(size);
    const augment = options.augment;
    const random = augment && mulberry32(deriveSeed(options.seed, this.epoch, AUGMENT, k));
    for (let i = 0; i < size; i++) {
      const index = order === undefined ? start + i : order[start + i]!;
      const crop = augment && random && drawCropFlip(random, augment.padding, augment.flip, augment.cutout);
      writeImage(dataset.images, index, options.table, x, i * PIXELS_PER_IMAGE, crop);
      const label = dataset.labels[index]!;
      if (options.oneHot) y[i * NUM_CLASSES + label] = 1;
      else y[i] = label;
    }
    return { size, x, y };
  }
}
