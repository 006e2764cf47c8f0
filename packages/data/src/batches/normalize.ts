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
  const stats =
    normalization === 'scale'
      ? { mean: [0, 0, 0], std: [1, 1, 1] }
      : normalization === 'standardize'
        ? CIFAR10_STATS
        : normalization;
  const table = new Float32Array(CHANNELS * 256);
  for (let c = 0; c < CHANNELS; c++) {
    const mean = stats.mean[c];
    const std = stats.std[c];
    if (mean === undefined || std === undefined || !Number.isFinite(mean) || !(std > 0)) {
      throw new DataError(
        'BAD_OPTION',
        `normalization needs 3 finite means and 3 positive stds, got mean ${JSON.stringify(stats.mean)}, std ${JSON.stringify(stats.std)}`,
      );
    }
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - mean) / std;
  }
  return table;
}

/** Exact per-channel mean and (population) std of a dataset's pixels, in [0, 1] units, from byte histograms. */
export function channelStats(dataset: Cifar10Dataset): ChannelStats {
  const { images } = dataset;
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
