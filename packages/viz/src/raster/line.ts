import { fillRect, type Rgb, type RgbaImage } from './image.js';

export interface LineStyle {
  color: Rgb;
  /** Pen width in pixels. Default 1. */
  width?: number;
  /** Dash and gap lengths in pixels (e.g. [6, 4]); solid when absent. */
  dash?: readonly [number, number];
}

/**
 * Draws a polyline with a square pen (no anti-aliasing: exact colours, so tests can count them). Dashes run on
 * across vertices, so a dashed curve of many short segments still looks dashed.
 */
export function drawPolyline(
  image: RgbaImage,
  points: readonly (readonly [number, number])[],
  style: LineStyle,
): void {
  const width = style.width ?? 1;
  const half = (width - 1) / 2;
  const period = style.dash ? style.dash[0] + style.dash[1] : 0;
  let travelled = 0;
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    const length = Math.hypot(x1 - x0, y1 - y0);
    const steps = Math.max(1, Math.ceil(length));
    for (let s = 0; s <= steps; s++) {
      const at = travelled + (s / steps) * length;
      if (style.dash && at % period >= style.dash[0]) continue;
      const t = s / steps;
      fillRect(image, x0 + t * (x1 - x0) - half, y0 + t * (y1 - y0) - half, width, width, style.color);
    }
    travelled += length;
  }
}
