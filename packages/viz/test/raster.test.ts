import { describe, expect, it } from 'vitest';
import {
  createImage,
  drawText,
  overlay,
  resizeNearest,
  rgbImage,
  textWidth,
  type RgbaImage,
} from '../src/index.js';

const pixel = (image: RgbaImage, x: number, y: number) => [
  ...image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 4),
];
const inked = (image: RgbaImage) => {
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) if (image.data[i] === 0) count++;
  return count;
};

describe('raster', () => {
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

  it('draws every printable ASCII character with the 5×7 font, horizontally and vertically', () => {
    for (let code = 0x21; code <= 0x7e; code++) {
      const image = createImage(8, 9);
      drawText(image, String.fromCharCode(code), 1, 1, { color: [0, 0, 0] });
      expect(inked(image), String.fromCharCode(code)).toBeGreaterThan(0);
    }
    const text = 'inv_1 (sum, per image)';
    expect(textWidth(text, 2)).toBe((22 * 6 - 1) * 2);
    const flat = createImage(140, 10);
    drawText(flat, text, 1, 1, { color: [0, 0, 0] });
    const upright = createImage(10, 140);
    drawText(upright, text, 5, 70, { color: [0, 0, 0], vertical: true });
    expect(inked(upright)).toBe(inked(flat));
    // Turned counter-clockwise, 'L' (stem left, foot at the bottom) lies with its stem at the bottom, foot right.
    const l = createImage(7, 5);
    drawText(l, 'L', 3.5, 2.5, { color: [0, 0, 0], vertical: true });
    const rows = Array.from({ length: 5 }, (_, y) =>
      Array.from({ length: 7 }, (_, x) => (pixel(l, x, y)[0] === 0 ? '#' : '.')).join(''),
    );
    expect(rows).toEqual(['......#', '......#', '......#', '......#', '#######']);
  });
});
