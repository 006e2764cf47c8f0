import { badOption, integer, optionalBoolean, optionsObject } from '../check.js';
import { IMAGE_SIZE } from '../cifar10/format.js';
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
  /** Random crop + flip (+ cutout): `true` for the standard one (4-pixel padding, flip). Default false. */
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
  /** Crop padding (0: no crop), flip and cutout side (0: none), or undefined without augmentation. */
  readonly augment: Required<Augmentation> | undefined;
  readonly oneHot: boolean;
  readonly dropRemainder: boolean;
  readonly prefetch: number;
}

/** Checks `options` (naming `where`, the public function, in errors) and fills in the defaults. */
export function resolveBatchOptions(where: string, options: BatchOptions | undefined): ResolvedBatchOptions {
  const o = optionsObject(where, options);
  const labels = o.labels ?? 'int32';
  if (labels !== 'int32' && labels !== 'oneHot')
    throw badOption(where, 'labels', "'int32' or 'oneHot'", labels);
  return {
    batchSize: integer(where, 'batchSize', o.batchSize ?? 32, 1),
    shuffle: optionalBoolean(where, 'shuffle', o.shuffle) ?? true,
    seed: integer(where, 'seed', o.seed ?? 0, -(2 ** 31)),
    epoch: integer(where, 'epoch', o.epoch ?? 0, 0),
    table: normalizationTable(o.normalization ?? 'scale'),
    augment: resolveAugmentation(where, o.augment),
    oneHot: labels === 'oneHot',
    dropRemainder: optionalBoolean(where, 'dropRemainder', o.dropRemainder) ?? false,
    prefetch: integer(where, 'prefetch', o.prefetch ?? 1, 0),
  };
}

/** `true` is the standard augmentation (padding 4, flip, no cutout); an object overrides any part. */
function resolveAugmentation(
  where: string,
  augment: BatchOptions['augment'],
): Required<Augmentation> | undefined {
  if (augment === undefined || augment === false) return undefined;
  if (augment === true) return { padding: 4, flip: true, cutout: 0 };
  if (typeof augment !== 'object' || augment === null || Array.isArray(augment)) {
    throw badOption(where, 'augment', 'true, false or { padding?, flip?, cutout? }', augment);
  }
  const cutout = integer(where, 'augment.cutout', augment.cutout ?? 0, 0);
  if (cutout > IMAGE_SIZE) throw badOption(where, 'augment.cutout', `a side from 0 to ${IMAGE_SIZE}`, cutout);
  return {
    padding: integer(where, 'augment.padding', augment.padding ?? 4, 0),
    flip: optionalBoolean(where, 'augment.flip', augment.flip) ?? true,
    cutout,
  };
}
