import { badOption } from '../check.js';
import type { Cifar10Dataset } from '../cifar10/dataset.js';
import { CHANNELS } from '../cifar10/format.js';
import { DataError } from '../errors.js';

export type Rgb = readonly [number, number, number];

/** Per-channel statistics in [0, 1] pixel units. */
export interface ChannelStats {
  readonly mean: Rgb;
  readonly std: Rgb;
}

/**
 * CIFAR-10 training-set statistics (50,000 images, [0, 1] units): the standard values. The std is over all
 * pixels of a channel; the often-quoted (0.2023, 0.1994, 0.2010) is a mean of per-image stds.
 */
export const CIFAR10_STATS: ChannelStats = {
  mean: [0.4914, 0.4822, 0.4465],
  std: [0.247, 0.2435, 0.2616],
};

/**
 * How pixels become floats: 'scale' is ÷255 into [0, 1] (the Keras seed's preprocessing); 'standardize' is
 * (x/255 − mean) / std with {@link CIFAR10_STATS}; or explicit statistics (e.g. from {@link channelStats}).
 */
export type Normalization = 'scale' | 'standardize' | ChannelStats;

/**
 * The float for every (channel, byte) pair: 3 × 256 entries, so normalising a pixel is one table read whatever
 * the normalisation.
 */
export function normalizationTable(normalization: Normalization): Float32Array {
  const stats = channelStatsOf(normalization);
  const table = new Float32Array(CHANNELS * 256);
  for (let c = 0; c < CHANNELS; c++) {
    const mean = stats.mean[c]!;
    const std = stats.std[c]!;
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - mean) / std;
  }
  return table;
}

/** The statistics a normalization stands for, checked: 3 finite means and 3 positive finite stds. */
function channelStatsOf(normalization: Normalization): ChannelStats {
  if (normalization === 'scale') return { mean: [0, 0, 0], std: [1, 1, 1] };
  if (normalization === 'standardize') return CIFAR10_STATS;
  const expected = "'scale', 'standardize' or { mean: [r, g, b], std: [r, g, b] }";
  if (typeof normalization !== 'object' || normalization === null) {
    throw badOption('normalizationTable', 'normalization', expected, normalization);
  }
  const { mean, std } = normalization as Partial<ChannelStats>;
  const triple = (values: unknown, valid: (v: number) => boolean): boolean =>
    Array.isArray(values) &&
    values.length === CHANNELS &&
    values.every((v) => typeof v === 'number' && Number.isFinite(v) && valid(v));
  if (!triple(mean, () => true) || !triple(std, (v) => v > 0)) {
    throw new DataError(
      'BAD_OPTION',
      `normalization needs 3 finite means and 3 positive stds (finite), got mean ${JSON.stringify(mean)}, std ${JSON.stringify(std)}`,
    );
  }
  return normalization;
}

/** Exact per-channel mean and (population) std of a dataset's pixels, in [0, 1] units, from byte histograms. */
export function channelStats(dataset: Cifar10Dataset): ChannelStats {
  const images = (dataset as Partial<Cifar10Dataset> | null)?.images;
  if (!(images instanceof Uint8Array) || images.length % CHANNELS !== 0) {
    throw badOption(
      'channelStats',
      'dataset.images',
      'a Uint8Array of RGB pixels (as loadCifar10 returns)',
      images,
    );
  }
  if (images.length === 0)
    throw new DataError('BAD_OPTION', 'channelStats needs at least one image, got none');
  const histogram = new Float64Array(CHANNELS * 256);
  for (let i = 0; i < images.length; i += CHANNELS) {
    histogram[images[i]!]!++;
    histogram[256 + images[i + 1]!]!++;
    histogram[512 + images[i + 2]!]!++;
  }
  const mean: number[] = [];
  const std: number[] = [];
  const count = images.length / CHANNELS;
  for (let c = 0; c < CHANNELS; c++) {
    let sum = 0;
    let squares = 0;
    for (let v = 0; v < 256; v++) {
      const n = histogram[c * 256 + v]!;
      sum += n * v;
      squares += n * v * v;
    }
    const m = sum / count;
    mean.push(m / 255);
    std.push(Math.sqrt(Math.max(0, squares / count - m * m)) / 255);
  }
  return { mean: mean as unknown as Rgb, std: std as unknown as Rgb };
}
