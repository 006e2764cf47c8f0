import { createImage, fillRect, type RgbaImage } from '../raster/image.js';
import { drawPolyline } from '../raster/line.js';
import { drawText } from '../raster/text.js';
import type { Scene } from './scene.js';

/** Draws a scene into a new RGBA image of its size (for PNG or a canvas). */
export function renderScene(scene: Scene): RgbaImage {
  const image = createImage(scene.width, scene.height, scene.background);
  for (const shape of scene.shapes) {
    switch (shape.kind) {
      case 'rect':
        fillRect(image, shape.x, shape.y, shape.width, shape.height, shape.fill);
        break;
      case 'line':
        drawPolyline(image, shape.points, shape);
        break;
      case 'text':
        drawText(image, shape.text, shape.x, shape.y, shape);
        break;
    }
  }
  return image;
}
