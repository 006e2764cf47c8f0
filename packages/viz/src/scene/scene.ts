import type { Rgb } from '../raster/image.js';

/**
 * A figure as a few primitives in pixel coordinates, so one layout renders to a raster (PNG, canvas) and to
 * SVG alike. Text is sized in units of the built-in 5×7 font: `scale` s gives 6s-pixel advances, 7s-pixel glyphs.
 */
export type Shape =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; fill: Rgb }
  | {
      kind: 'line';
      points: readonly (readonly [number, number])[];
      color: Rgb;
      width: number;
      dash?: readonly [number, number];
    }
  | {
      kind: 'text';
      /** Horizontal text: its top at `y`, aligned on `x`. Vertical text (reads upwards): centred on (x, y). */
      x: number;
      y: number;
      text: string;
      color: Rgb;
      scale: number;
      align: 'left' | 'center' | 'right';
      vertical?: boolean;
    };

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly background: Rgb;
  readonly shapes: readonly Shape[];
}
