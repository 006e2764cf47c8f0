import type { RgbaImage } from '../image/image.js';
import { colormapIndex, type Colormap } from './colormap.js';

/** Colours a `width`×`height` map of values in [0, 1] (values outside are clamped) through `table`. */
export function colorize(values: Float32Array, width: number, height: number, table: Colormap): RgbaImage {
  if (values.length !== width * height) {
    throw new Error(`colorize: ${values.length} values do not make a ${width}×${height} map`);
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < values.length; i++) {
    const entry = colormapIndex(values[i]!) * 3;
    data[4 * i] = table[entry]!;
    data[4 * i + 1] = table[entry + 1]!;
    data[4 * i + 2] = table[entry + 2]!;
    data[4 * i + 3] = 255;
  }
  return { width, height, data };
}
