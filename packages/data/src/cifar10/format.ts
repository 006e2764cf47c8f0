import { DataError } from '../errors.js';

// The official CIFAR-10 binary layout (https://www.cs.toronto.edu/~kriz/cifar.html): each record is one label
// byte followed by 3,072 pixel bytes, the R, G and B planes of a 32×32 image, each row-major.

export const IMAGE_SIZE = 32;
export const CHANNELS = 3;
export const PIXELS_PER_IMAGE = IMAGE_SIZE * IMAGE_SIZE * CHANNELS;
export const RECORD_BYTES = 1 + PIXELS_PER_IMAGE;
export const RECORDS_PER_FILE = 10_000;
export const FILE_BYTES = RECORDS_PER_FILE * RECORD_BYTES;
export const NUM_CLASSES = 10;
/** The class names `batches.meta.txt` lists, label 0 first. */
export const CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

/** The folder the official archive unpacks to. */
export const BATCHES_DIR = 'cifar-10-batches-bin';
export const META_FILE = 'batches.meta.txt';

export type Cifar10Split = 'train' | 'test';

const SPLIT_FILES: Readonly<Record<Cifar10Split, readonly string[]>> = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};

/** The batch files of `split` in load order. */
export function splitFiles(split: Cifar10Split): readonly string[] {
  const files = SPLIT_FILES[split] as readonly string[] | undefined;
  if (files === undefined) {
    throw new DataError(
      'BAD_OPTION',
      `CIFAR-10 split must be 'train' or 'test', got ${JSON.stringify(split)}`,
    );
  }
  return files;
}

/** The canonical address of the official archive, and its MD5 as published on the CIFAR page. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';
export const ARCHIVE_FILE = 'cifar-10-binary.tar.gz';
