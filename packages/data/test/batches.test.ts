import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  CIFAR10_STATS,
  DataError,
  batchIterator,
  channelStats,
  mulberry32,
  normalizationTable,
  shuffledIndices,
  toTfDataset,
} from '../src/index.js';
import type { Batch, BatchOptions, Cifar10Dataset } from '../src/index.js';
import { drawCropFlip, writeImage } from '../src/batches/augment.js';

/** A synthetic dataset: random pixels, image i labelled i % 10. */
function synthetic(size: number, seed = 1): Cifar10Dataset {
  const random = mulberry32(seed);
  const images = new Uint8Array(size * 3072);
  for (let i = 0; i < images.length; i++) images[i] = Math.floor(random() * 256);
  const labels = new Uint8Array(size).map((_, i) => i % 10);
  return {
    split: 'train',
    size,
    images,
    labels,
    classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'],
  };
}

interface Plain {
  x: Float32Array;
  y: Int32Array | Float32Array;
  shape: number[];
  yShape: number[];
  dtype: string;
}

async function collect(iterable: AsyncIterable<Batch>): Promise<Plain[]> {
  const out: Plain[] = [];
  for await (const { xs, ys } of iterable) {
    out.push({
      x: (await xs.data()) as Float32Array,
      y: (await ys.data()) as Int32Array | Float32Array,
      shape: xs.shape,
      yShape: ys.shape,
      dtype: ys.dtype,
    });
    tf.dispose([xs, ys]);
  }
  return out;
}

/** The image of dataset `ds` whose float32 ÷255 version is `x` (the images are random, so it is unique). */
function identify(ds: Cifar10Dataset, x: Float32Array): number {
  for (let i = 0; i < ds.size; i++) {
    let same = true;
    for (let p = 0; p < 3072 && same; p++) same = x[p] === Math.fround(ds.images[i * 3072 + p]! / 255);
    if (same) return i;
  }
  return -1;
}

/** Independent zero padding: the image as a (32 + 2·padding)² grid of [r, g, b], zeros around. */
function pad(image: Uint8Array, padding = 4): number[][][] {
  const size = 32 + 2 * padding;
  return Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) => {
      const sy = y - padding;
      const sx = x - padding;
      return sy >= 0 && sy < 32 && sx >= 0 && sx < 32
        ? [0, 1, 2].map((c) => image[(sy * 32 + sx) * 3 + c]!)
        : [0, 0, 0];
    }),
  );
}

/** Independent crop + flip, ÷255: the 32×32 window at (padding + dy, padding + dx), then columns reversed. */
function referenceCropFlip(
  padded: number[][][],
  dy: number,
  dx: number,
  flip: boolean,
  padding = 4,
): number[] {
  const crop = padded
    .slice(padding + dy, padding + dy + 32)
    .map((row) => row.slice(padding + dx, padding + dx + 32));
  return (flip ? crop.map((row) => [...row].reverse()) : crop).flat(2).map((v) => Math.fround(v / 255));
}

describe('shuffle', () => {
  it('is a permutation, the same for the same seed, different across seeds', () => {
    const a = shuffledIndices(1000, 7);
    expect([...a].sort((p, q) => p - q)).toEqual([...Array(1000).keys()]);
    expect(shuffledIndices(1000, 7)).toEqual(a);
    expect(shuffledIndices(1000, 8)).not.toEqual(a);
    expect(a).not.toEqual(Uint32Array.from(Array(1000).keys()));
  });

  it('mulberry32 is a fixed, documented sequence', () => {
    // Reference values of Mulberry32 with seed 0 (as in its public-domain C version).
    const random = mulberry32(0);
    expect([random(), random(), random()].map((v) => Math.round(v * 4294967296))).toEqual([
      1144304738, 1416247, 958946056,
    ]);
  });
});

describe('batchIterator', () => {
  const ds = synthetic(100);

  it('without shuffle gives the images in order, ÷255, with int32 labels and a short last batch', async () => {
    const batches = await collect(batchIterator(ds, { batchSize: 32, shuffle: false }));
    expect(batches.map((b) => b.shape)).toEqual([
      [32, 32, 32, 3],
      [32, 32, 32, 3],
      [32, 32, 32, 3],
      [4, 32, 32, 3],
    ]);
    const x = batches.flatMap((b) => [...b.x]);
    expect(x).toEqual([...ds.images].map((v) => Math.fround(v / 255)));
    expect(batches.flatMap((b) => [...b.y])).toEqual([...ds.labels]);
    expect(batches[0]!.dtype).toBe('int32');
    expect((await collect(batchIterator(ds, { batchSize: 32, dropRemainder: true }))).length).toBe(3);
  });

  it('gives one-hot float32 labels on request', async () => {
    const [first] = await collect(batchIterator(ds, { batchSize: 8, shuffle: false, labels: 'oneHot' }));
    expect(first!.yShape).toEqual([8, 10]);
    expect(first!.dtype).toBe('float32');
    expect([...first!.y.subarray(30, 40)]).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('shuffles every image exactly once, the same way for the same seed and epoch only', async () => {
    const order = async (options: BatchOptions): Promise<number[]> =>
      (await collect(batchIterator(ds, { batchSize: 10, ...options }))).flatMap((b) =>
        Array.from({ length: b.shape[0]! }, (_, i) => identify(ds, b.x.subarray(i * 3072, (i + 1) * 3072))),
      );
    const a = await order({ seed: 3 });
    expect([...a].sort((p, q) => p - q)).toEqual([...Array(100).keys()]);
    expect(await order({ seed: 3 })).toEqual(a);
    expect(await order({ seed: 4 })).not.toEqual(a);
    expect(await order({ seed: 3, epoch: 1 })).not.toEqual(a);
    expect(a).not.toEqual([...Array(100).keys()]);
  });

  it('augmentation is deterministic per seed, varies across seeds, and prefetch never changes the data', async () => {
    const run = (options: BatchOptions): Promise<Plain[]> =>
      collect(batchIterator(ds, { batchSize: 16, augment: true, ...options }));
    const a = await run({ seed: 11 });
    expect(await run({ seed: 11, prefetch: 0 })).toEqual(a);
    expect(await run({ seed: 11, prefetch: 5 })).toEqual(a);
    expect(await run({ seed: 12 })).not.toEqual(a);
    const plain = await run({ seed: 11, augment: false });
    expect(plain).not.toEqual(a);
  });

  it('firstBatch resumes mid-epoch with exactly the remaining batches, augmentation included', async () => {
    const options = { batchSize: 16, seed: 5, epoch: 2, augment: true } as const;
    const whole = await collect(batchIterator(ds, options));
    expect(await collect(batchIterator(ds, { ...options, firstBatch: 3 }))).toEqual(whole.slice(3));
    expect(await collect(batchIterator(ds, { ...options, firstBatch: whole.length }))).toEqual([]);
    expect(() => batchIterator(ds, { firstBatch: -1 })).toThrow('firstBatch must be an integer ≥ 0, got -1');
  });

  it('every augmented image is the zero-padded crop (±4) and optional flip of its source', async () => {
    const batches = await collect(
      batchIterator(ds, { batchSize: 100, shuffle: false, augment: true, seed: 5 }),
    );
    const x = batches[0]!.x;
    let flips = 0;
    const offsets = new Set<string>();
    for (let i = 0; i < ds.size; i++) {
      const padded = pad(ds.images.subarray(i * 3072, (i + 1) * 3072));
      const got = [...x.subarray(i * 3072, (i + 1) * 3072)];
      let found: string | undefined;
      for (let dy = -4; dy <= 4 && found === undefined; dy++) {
        for (let dx = -4; dx <= 4 && found === undefined; dx++) {
          for (const flip of [false, true]) {
            const want = referenceCropFlip(padded, dy, dx, flip);
            if (want.every((v, p) => v === got[p])) {
              found = `${dy},${dx},${flip}`;
              break;
            }
          }
        }
      }
      expect(found, `image ${i}`).toBeDefined();
      offsets.add(found!.split(',').slice(0, 2).join());
      if (found!.endsWith('true')) flips++;
    }
    // 100 draws: both mirror states and many of the 81 offsets occur.
    expect(flips).toBeGreaterThan(25);
    expect(flips).toBeLessThan(75);
    expect(offsets.size).toBeGreaterThan(40);
  });

  it('rejects bad options', () => {
    expect(() => batchIterator(ds, { batchSize: 0 })).toThrow(DataError);
    expect(() => batchIterator(ds, { batchSize: 2.5 })).toThrow(/batchSize must be an integer/);
    expect(() => batchIterator(ds, { labels: 'sparse' as 'int32' })).toThrow(/labels must be/);
    expect(() => batchIterator(ds, { normalization: { mean: [0, 0, 0], std: [1, 0, 1] } })).toThrow(
      /positive stds/,
    );
  });
});

describe('crop and flip', () => {
  it('match an independent implementation for every offset and both mirror states', () => {
    const { images } = synthetic(1, 9);
    const padded = pad(images);
    const table = normalizationTable('scale');
    const out = new Float32Array(3072);
    for (let dy = -4; dy <= 4; dy++) {
      for (let dx = -4; dx <= 4; dx++) {
        for (const flip of [false, true]) {
          writeImage(images, 0, table, out, 0, { dy, dx, flip });
          expect([...out]).toEqual(referenceCropFlip(padded, dy, dx, flip));
        }
      }
    }
  });

  it('draws offsets uniformly in [−padding, padding] and flips only when asked', () => {
    const random = mulberry32(1);
    const draws = Array.from({ length: 2000 }, () => drawCropFlip(random, 4, true));
    expect(new Set(draws.map((d) => d.dy))).toEqual(new Set([-4, -3, -2, -1, 0, 1, 2, 3, 4]));
    expect(Math.min(...draws.map((d) => d.dx))).toBe(-4);
    expect(Math.max(...draws.map((d) => d.dx))).toBe(4);
    expect(draws.filter((d) => d.flip).length / 2000).toBeCloseTo(0.5, 1);
    expect(Array.from({ length: 50 }, () => drawCropFlip(random, 4, false)).some((d) => d.flip)).toBe(false);
  });
});

describe('cutout', () => {
  it('zeroes exactly the clipped square after crop and flip, everything else as without it', () => {
    const { images } = synthetic(1, 9);
    const table = normalizationTable('standardize');
    const plain = new Float32Array(3072);
    const cut = new Float32Array(3072);
    for (const [y, x, size] of [
      [10, 12, 8],
      [-3, 28, 8],
      [30, -5, 16],
      [0, 0, 1],
    ] as const) {
      writeImage(images, 0, table, plain, 0, { dy: 1, dx: -2, flip: true });
      writeImage(images, 0, table, cut, 0, { dy: 1, dx: -2, flip: true, cutout: { y, x, size } });
      for (let p = 0; p < 1024; p++) {
        const row = Math.floor(p / 32);
        const col = p % 32;
        const inside = row >= y && row < y + size && col >= x && col < x + size;
        for (let c = 0; c < 3; c++) {
          expect(cut[p * 3 + c], `square (${y}, ${x}, ${size}), pixel (${row}, ${col})`).toBe(
            inside ? 0 : plain[p * 3 + c],
          );
        }
      }
    }
  });

  it('draws its centre uniformly after the crop and flip draws, which stay those of a run without it', () => {
    const withCutout = mulberry32(7);
    const without = mulberry32(7);
    const centres = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const a = drawCropFlip(withCutout, 4, true, 8);
      const b = drawCropFlip(without, 4, true);
      expect({ dy: a.dy, dx: a.dx, flip: a.flip }).toEqual(b);
      expect(a.cutout!.size).toBe(8);
      centres.add(`${a.cutout!.y + 4},${a.cutout!.x + 4}`);
      without(); // the two cutout draws
      without();
    }
    // 3000 draws over the 1024 possible centres (each in [0, 32)).
    expect(centres.size).toBeGreaterThan(900);
    const coords = [...centres].flatMap((c) => c.split(',').map(Number));
    expect(Math.min(...coords)).toBe(0);
    expect(Math.max(...coords)).toBe(31);
  });

  it('is an option of augment: a side from 0 to 32', () => {
    expect(() => batchIterator(synthetic(2, 1), { augment: { cutout: 33 } })).toThrow(/augment\.cutout/);
    expect(() => batchIterator(synthetic(2, 1), { augment: { cutout: -1 } })).toThrow(/augment\.cutout/);
  });
});

describe('normalisation', () => {
  it("'scale' is ÷255; 'standardize' uses the CIFAR-10 statistics; explicit statistics are used as given", () => {
    const scale = normalizationTable('scale');
    expect(scale[0]).toBe(0);
    expect(scale[255]).toBe(1);
    expect(scale[256 + 51]).toBe(Math.fround(0.2));
    const standard = normalizationTable('standardize');
    for (const [c, v] of [
      [0, 0],
      [1, 128],
      [2, 255],
    ] as const) {
      expect(standard[c * 256 + v]).toBeCloseTo((v / 255 - CIFAR10_STATS.mean[c]) / CIFAR10_STATS.std[c], 6);
    }
    const custom = normalizationTable({ mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 1] });
    expect([custom[255], custom[256], custom[512 + 255]]).toEqual([1, -2, 0.5]);
  });

  it('channelStats gives the exact mean and population std per channel', () => {
    const images = new Uint8Array([0, 10, 255, 255, 30, 255]);
    const stats = channelStats({
      split: 'test',
      size: 2,
      images,
      labels: new Uint8Array(2),
      classNames: [],
    } as unknown as Cifar10Dataset);
    expect(stats.mean[0]).toBeCloseTo(0.5, 12);
    expect(stats.mean[1]).toBeCloseTo(20 / 255, 12);
    expect(stats.mean[2]).toBeCloseTo(1, 12);
    expect(stats.std[0]).toBeCloseTo(0.5, 12);
    expect(stats.std[1]).toBeCloseTo(10 / 255, 12);
    expect(stats.std[2]).toBe(0);
  });

  it('standardised batches have the statistics they were normalised with', async () => {
    const ds = synthetic(64);
    const stats = channelStats(ds);
    const [batch] = await collect(batchIterator(ds, { batchSize: 64, normalization: stats }));
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      let squares = 0;
      for (let p = c; p < batch!.x.length; p += 3) {
        sum += batch!.x[p]!;
        squares += batch!.x[p]! ** 2;
      }
      const n = batch!.x.length / 3;
      expect(sum / n).toBeCloseTo(0, 4);
      expect(squares / n).toBeCloseTo(1, 4);
    }
  });
});

describe('toTfDataset', () => {
  it('trains a layers model with fitDataset, a new order per epoch, without leaking tensors', async () => {
    await tf.setBackend('cpu');
    const ds = synthetic(64);
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [32, 32, 3] }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const before = tf.memory().numTensors;
    const history = await model.fitDataset(
      toTfDataset(ds, { batchSize: 16, labels: 'oneHot', augment: true }),
      { epochs: 2, verbose: 0 },
    );
    expect(history.history['loss']).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);

    const data = toTfDataset(ds, { batchSize: 64, seed: 2 });
    const labelsOf = async (): Promise<number[]> => {
      const [batch] = await data.toArray();
      const labels = [...(await batch!.ys.data())];
      tf.dispose(batch!);
      return labels;
    };
    const epoch0 = await labelsOf();
    const epoch1 = await labelsOf();
    expect(epoch1).not.toEqual(epoch0);
    const [fresh] = await toTfDataset(ds, { batchSize: 64, seed: 2 }).toArray();
    expect([...(await fresh!.ys.data())]).toEqual(epoch0);
    tf.dispose(fresh!);
  });
});
