import { CHANNELS, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../cifar10/format.js';
import type { Random } from './prng.js';

/** The standard CIFAR-10 augmentation: random crop of the zero-padded image, random horizontal flip. */
export interface Augmentation {
  /** Zero padding on each side before the random 32×32 crop; 0 disables cropping. Default 4. */
  readonly padding?: number;
  /** Mirror left-right with probability ½. Default true. */
  readonly flip?: boolean;
}

/**
 * One image's draw: the crop window's shift from the image's own, rows `dy` and columns `dx`, each in
 * [−padding, padding] (the corner of a 32×32 crop of the padded image, minus the padding), and the mirror.
 */
export interface CropFlip {
  readonly dy: number;
  readonly dx: number;
  readonly flip: boolean;
}

/** Draws one image's crop and flip (two or three `random()` calls, always in this order). */
export function drawCropFlip(random: Random, padding: number, flip: boolean): CropFlip {
  const span = 2 * padding + 1;
  return {
    dy: Math.floor(random() * span) - padding,
    dx: Math.floor(random() * span) - padding,
    flip: flip && random() < 0.5,
  };
}

/**
 * Writes image `index` of `images` (uint8 NHWC), normalised through `table` (see `normalizationTable`), to `out`
 * at `offset`. Without `crop` it is a straight copy; with it, output pixel (y, x) is image pixel
 * (y + dy, x' + dx) with x' = 31 − x when `flip` (crop, then mirror), else x; pixels outside the image are black (byte 0) before normalisation,
 * as torchvision's `RandomCrop(padding=4)` followed by `Normalize` gives.
 */
export function writeImage(
  images: Uint8Array,
  index: number,
  table: Float32Array,
  out: Float32Array,
  offset: number,
  crop?: CropFlip,
): void {
  const src = index * PIXELS_PER_IMAGE;
  if (crop === undefined) {
    for (let p = 0; p < PIXELS_PER_IMAGE; p += CHANNELS) {
      out[offset + p] = table[images[src + p]!]!;
      out[offset + p + 1] = table[256 + images[src + p + 1]!]!;
      out[offset + p + 2] = table[512 + images[src + p + 2]!]!;
    }
    return;
  }
  const { dy, dx } = crop;
  let o = offset;
  for (let y = 0; y < IMAGE_SIZE; y++) {
    const sy = y + dy;
    const rowInside = sy >= 0 && sy < IMAGE_SIZE;
    const row = src + sy * IMAGE_SIZE * CHANNELS;
    for (let x = 0; x < IMAGE_SIZE; x++, o += CHANNELS) {
      const sx = (crop.flip ? IMAGE_SIZE - 1 - x : x) + dx;
      if (rowInside && sx >= 0 && sx < IMAGE_SIZE) {
        const s = row + sx * CHANNELS;
        out[o] = table[images[s]!]!;
        out[o + 1] = table[256 + images[s + 1]!]!;
        out[o + 2] = table[512 + images[s + 2]!]!;
      } else {
        out[o] = table[0]!;
        out[o + 1] = table[256]!;
        out[o + 2] = table[512]!;
      }
    }
  }
}
