/**
 * An RGBA raster shaped like the DOM's `ImageData` (row-major, 4 bytes a pixel, non-premultiplied), so the same
 * pixels go to a PNG encoder in Node or to `putImageData` in a browser.
 */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** An opaque colour, `[r, g, b]` in 0..255. */
export type Rgb = readonly [number, number, number];

export const WHITE: Rgb = [255, 255, 255];
export const BLACK: Rgb = [0, 0, 0];

/** Parses `#rrggbb`. */
export function hexColor(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (match === null) throw new Error(`colour '${hex}' is not #rrggbb`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

export function createImage(width: number, height: number, background: Rgb = WHITE): RgbaImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`an image needs a positive integer width and height, got ${width}×${height}`);
  }
  const image = { width, height, data: new Uint8ClampedArray(width * height * 4) };
  fillRect(image, 0, 0, width, height, background);
  return image;
}

/** Fills the rectangle (clipped to the image) with an opaque colour. */
export function fillRect(
  image: RgbaImage,
  x: number,
  y: number,
  width: number,
  height: number,
  color: Rgb,
): void {
  const x0 = Math.max(0, Math.round(x));
  const y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(image.width, Math.round(x + width));
  const y1 = Math.min(image.height, Math.round(y + height));
  for (let row = y0; row < y1; row++) {
    for (let col = x0; col < x1; col++) {
      const i = (row * image.width + col) * 4;
      image.data[i] = color[0];
      image.data[i + 1] = color[1];
      image.data[i + 2] = color[2];
      image.data[i + 3] = 255;
    }
  }
}

/** Copies `source` into `target` with its top-left corner at (x, y), clipped. */
export function blit(target: RgbaImage, source: RgbaImage, x: number, y: number): void {
  for (let row = 0; row < source.height; row++) {
    const ty = y + row;
    if (ty < 0 || ty >= target.height) continue;
    const from = Math.max(0, -x);
    const to = Math.min(source.width, target.width - x);
    if (to <= from) return;
    target.data.set(
      source.data.subarray((row * source.width + from) * 4, (row * source.width + to) * 4),
      (ty * target.width + x + from) * 4,
    );
  }
}

/** An opaque image from interleaved RGB bytes `[height, width, 3]` (a CIFAR-10 image as @inv/data stores it). */
export function rgbImage(pixels: Uint8Array, width: number, height: number): RgbaImage {
  if (pixels.length !== width * height * 3) {
    throw new Error(
      `rgbImage: ${pixels.length} bytes do not make a ${width}×${height} RGB image (${width * height * 3} expected)`,
    );
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[4 * i] = pixels[3 * i]!;
    data[4 * i + 1] = pixels[3 * i + 1]!;
    data[4 * i + 2] = pixels[3 * i + 2]!;
    data[4 * i + 3] = 255;
  }
  return { width, height, data };
}
