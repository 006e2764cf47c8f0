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
