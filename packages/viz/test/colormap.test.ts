import { describe, expect, it } from 'vitest';
import { colorize, colormap, COLORMAPS, type ColormapName } from '../src/index.js';

const hex = (table: Uint8Array, i: number) =>
  `#${[...table.subarray(3 * i, 3 * i + 3)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** CIE L* (perceived lightness, 0..100) of entry i, from its sRGB relative luminance. */
function lightness(table: Uint8Array, i: number): number {
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const y =
    0.2126 * linear(table[3 * i]!) + 0.7152 * linear(table[3 * i + 1]!) + 0.0722 * linear(table[3 * i + 2]!);
  return y > 216 / 24389 ? 116 * Math.cbrt(y) - 16 : (24389 / 27) * y;
}

describe('colormaps', () => {
  it.each([
    ['viridis', '#440154', '#fde725'],
    ['magma', '#000004', '#fcfdbf'],
    ['gray', '#000000', '#ffffff'],
  ] as const)('%s runs from %s to %s over 256 entries', (name, first, last) => {
    const table = colormap(name);
    expect(table.length).toBe(256 * 3);
    expect([hex(table, 0), hex(table, 255)]).toEqual([first, last]);
  });

  it.each(COLORMAPS)('%s rises monotonically in lightness (brighter means larger)', (name: ColormapName) => {
    const table = colormap(name);
    // Entry to entry up to 8-bit rounding (viridis dips by < 0.05 L* in 4 places), strictly over every 4 entries.
    for (let i = 1; i < 256; i++) expect(lightness(table, i)).toBeGreaterThan(lightness(table, i - 1) - 0.1);
    for (let i = 4; i < 256; i++) expect(lightness(table, i)).toBeGreaterThan(lightness(table, i - 4));
  });

  it('colorize maps 0 and 1 to the ends, clamps outside values, and lists valid names', () => {
    const image = colorize(Float32Array.from([0, 1, -3, 7]), 2, 2, colormap('viridis'));
    expect([...image.data.subarray(0, 8)]).toEqual([0x44, 0x01, 0x54, 255, 0xfd, 0xe7, 0x25, 255]);
    expect([...image.data.subarray(8, 16)]).toEqual([0x44, 0x01, 0x54, 255, 0xfd, 0xe7, 0x25, 255]);
    expect(() => colormap('jet' as ColormapName)).toThrow(
      "unknown colormap 'jet'; expected one of: viridis, magma, gray",
    );
  });
});
