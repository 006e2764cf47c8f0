import type { RgbaImage } from './raster/image.js';

/** The pixel buffer a canvas context hands out (`ImageData`). */
export interface ImageDataLike {
  readonly data: Uint8ClampedArray;
}

/** The part of a 2-D canvas context `drawToCanvas` uses (DOM and OffscreenCanvas contexts have it). */
export interface CanvasContextLike {
  createImageData(width: number, height: number): ImageDataLike;
  putImageData(imageData: ImageDataLike, dx: number, dy: number): void;
}

/** A `<canvas>` or `OffscreenCanvas`, or anything shaped like one. */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(contextId: '2d'): CanvasContextLike | null;
}

/** Sizes the canvas to the image and draws it 1:1 (a heatmap grid, rendered curves) in a page. */
export function drawToCanvas(image: RgbaImage, canvas: CanvasLike): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  if (context === null)
    throw new Error('drawToCanvas: the canvas has no 2d context (is it already used for WebGL?)');
  const pixels = context.createImageData(image.width, image.height);
  pixels.data.set(image.data);
  context.putImageData(pixels, 0, 0);
}
