import { CHANNELS, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../cifar10/format.js';
import type { Random } from './prng.js';

/**
 * The standard CIFAR-10 augmentation: random crop of the zero-padded image, random horizontal flip, and
 * optionally cutout.
 */
export interface Augmentation {
  /** Zero padding on each side before the random 32×32 crop; 0 disables cropping. Default 4. */
  readonly padding?: number;
  /** Mirror left-right with probability ½. Default true. */
  readonly flip?: boolean;
  /**
   * Cutout (DeVries & Taylor 2017): a `cutout`×`cutout` square centred on a uniformly drawn pixel (clipped at
   * the border) set to 0 after normalisation. Default 0: none.
   */
  readonly cutout?: number;
}

/**
 * One image's draw: the crop window's shift from the image's own, rows `dy` and columns `dx`, each in
 * [−padding, padding] (the corner of a 32×32 crop of the padded image, minus the padding), the mirror, and
 * the cutout square's first row and column (either may be negative: the square is clipped) and side.
 */
export interface CropFlip {
  readonly dy: number;
  readonly dx: number;
  readonly flip: boolean;
  readonly cutout?: { readonly y: number; readonly x: number; readonly size: number };
}

/**
 * Draws one image's crop, flip and cutout (`random()` calls always in this order; cutout's two come last, so
 * draws without it are those of runs from before it existed).
 */
export function drawCropFlip(random: Random, padding: number, flip: boolean, cutout = 0): CropFlip {
  const span = 2 * padding + 1;
  const dy = Math.floor(random() * span) - padding;
  const dx = Math.floor(random() * span) - padding;
  const mirror = flip && random() < 0.5;
  if (cutout === 0) return { dy, dx, flip: mirror };
  const half = Math.floor(cutout / 2);
  return {
    dy,
    dx,
    flip: mirror,
    cutout: {
      y: Math.floor(random() * IMAGE_SIZE) - half,
      x: Math.floor(random() * IMAGE_SIZE) - half,
      size: cutout,
    },
  };
}

/** Zeroes the cutout square of the image at `offset` (after normalisation: 0 is the mean for 'standardize'). */
function applyCutout(
  out: Float32Array,
  offset: number,
  { y, x, size }: NonNullable<CropFlip['cutout']>,
): void {
  const x0 = Math.max(0, x);
  const x1 = Math.min(IMAGE_SIZE, x + size);
  if (x1 <= x0) return;
  for (let row = Math.max(0, y); row < Math.min(IMAGE_SIZE, y + size); row++) {
    const start = offset + (row * IMAGE_SIZE + x0) * CHANNELS;
    out.fill(0, start, start + (x1 - x0) * CHANNELS);
  }
}

/**
 * Writes image `index` of `images` (uint8 NHWC), normalised through `table` (see `normalizationTable`), to `out`
 * at `offset`. Without `crop` it is a straight copy; with it, output pixel (y, x) is image pixel
 * (y + dy, x' + dx) with x' = 31 − x when `flip` (crop, then mirror), else x; pixels outside the image are black (byte 0) before normalisation,
 * as torchvision's `RandomCrop(padding=4)` followed by `Normalize` gives; then the cutout square, if any.
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
  if (crop.cutout !== undefined) applyCutout(out, offset, crop.cutout);
}
