import { badOption } from '../check.js';
import { DataError } from '../errors.js';
import { NUM_CLASSES, PIXELS_PER_IMAGE } from './format.js';
import type { Cifar10Split } from './format.js';

/** One CIFAR-10 split in memory, exactly as stored: no float copy of the whole set is ever made. */
export interface Cifar10Dataset {
  readonly split: Cifar10Split;
  /** Number of images. */
  readonly size: number;
  /** uint8 pixels, NHWC: shape [size, 32, 32, 3]. */
  readonly images: Uint8Array;
  /** Class index 0..9 per image. */
  readonly labels: Uint8Array;
  /** The 10 class names, from `batches.meta.txt`. */
  readonly classNames: readonly string[];
}

/**
 * Checks that `dataset` is one (as `loadCifar10` makes, or built by hand): uint8 images and labels of matching
 * sizes, labels 0..9. A label out of range would otherwise land in another image's one-hot row.
 */
export function checkDataset(where: string, dataset: Cifar10Dataset): void {
  const expected = 'a Cifar10Dataset { size, images, labels, ... } as loadCifar10 returns';
  if (typeof dataset !== 'object' || dataset === null) throw badOption(where, 'dataset', expected, dataset);
  const { size, images, labels } = dataset;
  if (!Number.isSafeInteger(size) || size < 0) throw badOption(where, 'dataset.size', 'an integer ≥ 0', size);
  if (!(images instanceof Uint8Array) || images.length !== size * PIXELS_PER_IMAGE) {
    throw badOption(
      where,
      'dataset.images',
      `a Uint8Array of size × ${PIXELS_PER_IMAGE} = ${size * PIXELS_PER_IMAGE} bytes`,
      images,
    );
  }
  if (!(labels instanceof Uint8Array) || labels.length !== size) {
    throw badOption(where, 'dataset.labels', `a Uint8Array of ${size} labels`, labels);
  }
  const bad = labels.findIndex((label) => label >= NUM_CLASSES);
  if (bad >= 0) {
    throw new DataError(
      'BAD_LABEL',
      `${where}: dataset.labels[${bad}] is ${labels[bad]}; CIFAR-10 labels are 0..${NUM_CLASSES - 1}`,
    );
  }
}
