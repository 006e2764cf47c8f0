import type { RgbaImage } from './image.js';

/**
 * Resizes by nearest neighbour: upscaling a 32×32 input or an 8×8 heatmap by an integer factor turns each
 * pixel into a sharp block (no interpolation blur, no invented values).
 */
export function resizeNearest(image: RgbaImage, width: number, height: number): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`resize needs a positive integer width and height, got ${width}×${height}`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sourceRow = Math.floor((y * image.height) / height) * image.width;
    for (let x = 0; x < width; x++) {
      const from = (sourceRow + Math.floor((x * image.width) / width)) * 4;
      data.set(image.data.subarray(from, from + 4), (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** `top` over `base` with opacity `alpha` (0: only base, 1: only top); both the same size. */
export function overlay(base: RgbaImage, top: RgbaImage, alpha: number): RgbaImage {
  if (base.width !== top.width || base.height !== top.height) {
    throw new Error(
      `overlay needs images of one size, got ${base.width}×${base.height} and ${top.width}×${top.height}`,
    );
  }
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`overlay alpha must be in [0, 1], got ${alpha}`);
  const data = new Uint8ClampedArray(base.data.length);
  for (let i = 0; i < data.length; i += 4) {
    for (let c = 0; c < 3; c++) data[i + c] = (1 - alpha) * base.data[i + c]! + alpha * top.data[i + c]!;
    data[i + 3] = 255;
  }
  return { width: base.width, height: base.height, data };
}
