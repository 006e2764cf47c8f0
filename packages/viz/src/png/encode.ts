import { PNG } from 'pngjs';
import type { RgbaImage } from '../image/image.js';

/** Encodes an RGBA image as a PNG file's bytes (Node only: pngjs compresses with node:zlib). */
export function encodePng(image: RgbaImage): Uint8Array {
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png);
}
