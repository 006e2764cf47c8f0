import { DataError } from '../errors.js';
import type { Augmentation } from './augment.js';
import { normalizationTable } from './normalize.js';
import type { Normalization } from './normalize.js';

export interface BatchOptions {
  /** Images per batch. Default 32 (Keras' default). */
  readonly batchSize?: number;
  /** Visit the images in a seeded random order, new each epoch. Default true. */
  readonly shuffle?: boolean;
  /** Seed of the shuffle and augmentation: the same seed gives the same batches. Default 0. */
  readonly seed?: number;
  /** The (first) epoch to produce: each epoch has its own order and augmentation draws. Default 0. */
  readonly epoch?: number;
  /** Default 'scale' (÷255). */
  readonly normalization?: Normalization;
  /** Random crop + flip: `true` for the standard one (4-pixel padding, flip). Default false. */
  readonly augment?: boolean | Augmentation;
  /** `ys` as int32 class indices [B] or float32 one-hot [B, 10]. Default 'int32'. */
  readonly labels?: 'int32' | 'oneHot';
  /** Leave out a last batch smaller than `batchSize`. Default false. */
  readonly dropRemainder?: boolean;
  /** Batches produced ahead of the one being consumed. Default 1; 0 produces on demand. */
  readonly prefetch?: number;
}

/** {@link BatchOptions} checked, with defaults, and the normalisation as its lookup table. */
export interface ResolvedBatchOptions {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly epoch: number;
  readonly table: Float32Array;
  /** Crop padding (0: no crop) and flip, or undefined without augmentation. */
  readonly augment: Required<Augmentation> | undefined;
  readonly oneHot: boolean;
  readonly dropRemainder: boolean;
  readonly prefetch: number;
}

export function resolveBatchOptions(options: BatchOptions): ResolvedBatchOptions {
  const augment =
    options.augment === undefined || options.augment === false
      ? undefined
      : { padding: 4, flip: true, ...(options.augment === true ? {} : options.augment) };
  const labels = options.labels ?? 'int32';
  if (labels !== 'int32' && labels !== 'oneHot') {
    throw new DataError('BAD_OPTION', `labels must be 'int32' or 'oneHot', got ${JSON.stringify(labels)}`);
  }
  return {
    batchSize: integer('batchSize', options.batchSize ?? 32, 1),
    shuffle: options.shuffle ?? true,
    seed: integer('seed', options.seed ?? 0, -(2 ** 31)),
    epoch: integer('epoch', options.epoch ?? 0, 0),
    table: normalizationTable(options.normalization ?? 'scale'),
    augment: augment && { ...augment, padding: integer('augment.padding', augment.padding, 0) },
    oneHot: labels === 'oneHot',
    dropRemainder: options.dropRemainder ?? false,
    prefetch: integer('prefetch', options.prefetch ?? 1, 0),
  };
}

function integer(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new DataError('BAD_OPTION', `${name} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}
