import type { Rgb, RgbaImage } from '../image/image.js';

/**
 * A figure as a few primitives in CSS pixels (1×): the one layout model. `sceneToSvg` writes it as SVG (which
 * resvg renders to PNG and pdfkit to PDF, at any scale); `drawToCanvas` draws it in a page.
 */
export type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; fill: Rgb }
  | {
      kind: 'text';
      /** The baseline's anchor point. */
      x: number;
      y: number;
      text: string;
      /** Font size in px (the font is DejaVu Sans, see `FONT_FAMILY`). */
      size: number;
      color: Rgb;
      anchor: 'start' | 'middle' | 'end';
      bold?: boolean;
    }
  /** Pixels drawn 1:1 at (x, y), each a sharp square when scaled up (heatmaps are data, not photos). */
  | { kind: 'image'; x: number; y: number; image: RgbaImage }
  /** A whole SVG document (a Vega chart) placed with its top-left corner at (x, y). */
  | { kind: 'svg'; x: number; y: number; width: number; height: number; markup: string };

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly background: Rgb;
  readonly shapes: readonly Shape[];
}

/** `#rrggbb` of an opaque colour. */
export function cssColor([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}
