import { describe, expect, it } from 'vitest';
import { overlay, resizeNearest, rgbImage, type RgbaImage } from '../src/index.js';

const pixel = (image: RgbaImage, x: number, y: number) => [
  ...image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4),
];

describe('images', () => {
  it('rgbImage reads interleaved RGB bytes; resizeNearest repeats each pixel as a block', () => {
    const image = rgbImage(Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]), 2, 2);
    const big = resizeNearest(image, 6, 6);
    expect([big.width, big.height]).toEqual([6, 6]);
    expect(pixel(big, 2, 2)).toEqual([10, 20, 30, 255]);
    expect(pixel(big, 3, 0)).toEqual([40, 50, 60, 255]);
    expect(pixel(big, 5, 5)).toEqual([100, 110, 120, 255]);
    expect(() => rgbImage(new Uint8Array(5), 2, 2)).toThrow(
      /5 bytes do not make a 2×2 RGB image \(12 expected\)/,
    );
  });

  it('overlay blends with the given opacity', () => {
    const base = rgbImage(Uint8Array.from([0, 0, 200]), 1, 1);
    const top = rgbImage(Uint8Array.from([100, 200, 0]), 1, 1);
    expect(pixel(overlay(base, top, 0.25), 0, 0)).toEqual([25, 50, 150, 255]);
    expect(() => overlay(base, resizeNearest(top, 2, 2), 0.5)).toThrow(/one size, got 1×1 and 2×2/);
    expect(() => overlay(base, top, 2)).toThrow(/alpha must be in \[0, 1\], got 2/);
  });
});
