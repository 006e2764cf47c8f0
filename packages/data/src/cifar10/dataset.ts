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
