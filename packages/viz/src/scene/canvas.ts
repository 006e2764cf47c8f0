import type { RgbaImage } from '../image/image.js';
import { FONT_FAMILY } from '../text/dejavu_metrics.js';
import { cssColor, type Scene } from './scene.js';

/** The pixel buffer a canvas context hands out (`ImageData`). */
export interface ImageDataLike {
  readonly data: Uint8ClampedArray;
}

/** The part of a 2-D canvas context `drawToCanvas` uses (DOM and OffscreenCanvas contexts have it). */
export interface CanvasContextLike {
  fillStyle: unknown;
  font: string;
  textAlign: string;
  textBaseline: string;
  fillRect(x: number, y: number, width: number, height: number): void;
  fillText(text: string, x: number, y: number): void;
  createImageData(width: number, height: number): ImageDataLike;
  putImageData(imageData: ImageDataLike, dx: number, dy: number): void;
}

/** A `<canvas>` or `OffscreenCanvas`, or anything shaped like one. */
export interface CanvasLike {
  width: number;
  height: number;
  getContext(contextId: '2d'): CanvasContextLike | null;
}

const ALIGN = { start: 'left', middle: 'center', end: 'right' } as const;

function putImage(context: CanvasContextLike, image: RgbaImage, x: number, y: number): void {
  const pixels = context.createImageData(image.width, image.height);
  pixels.data.set(image.data);
  context.putImageData(pixels, x, y);
}

/**
 * Sizes the canvas to the scene and draws it 1:1 in a page (a heatmap grid). Text uses DejaVu Sans where the
 * page has it, else the browser's sans-serif. Curves render in a page through Vega from `curvesSpec`.
 */
export function drawToCanvas(scene: Scene, canvas: CanvasLike): void {
  canvas.width = scene.width;
  canvas.height = scene.height;
  const context = canvas.getContext('2d');
  if (context === null)
    throw new Error('drawToCanvas: the canvas has no 2d context (is it already used for WebGL?)');
  context.fillStyle = cssColor(scene.background);
  context.fillRect(0, 0, scene.width, scene.height);
  context.textBaseline = 'alphabetic';
  for (const shape of scene.shapes) {
    switch (shape.kind) {
      case 'rect':
        context.fillStyle = cssColor(shape.fill);
        context.fillRect(shape.x, shape.y, shape.width, shape.height);
        break;
      case 'text':
        context.fillStyle = cssColor(shape.color);
        context.font = `${shape.bold ? 'bold ' : ''}${shape.size}px "${FONT_FAMILY}", sans-serif`;
        context.textAlign = ALIGN[shape.anchor];
        context.fillText(shape.text, shape.x, shape.y);
        break;
      case 'image':
        putImage(context, shape.image, shape.x, shape.y);
        break;
      case 'svg':
        throw new Error(
          'drawToCanvas: the scene holds an SVG chart; render curves in a page with Vega from curvesSpec',
        );
    }
  }
}
