import { FONT_5X7_HEX } from './font_data.js';
import { fillRect, type Rgb, type RgbaImage } from './image.js';

const FIRST = 0x20;
const LAST = 0x7e;
const COLUMNS = 5;
/** Glyph cell in font pixels: 5 columns plus 1 of spacing, 7 rows. */
export const GLYPH_ADVANCE = 6;
export const GLYPH_HEIGHT = 7;

const glyphs = Uint8Array.from({ length: FONT_5X7_HEX.length / 2 }, (_, i) =>
  parseInt(FONT_5X7_HEX.slice(2 * i, 2 * i + 2), 16),
);

/** Width in pixels of `text` at integer `scale` (the trailing spacing column excluded). */
export function textWidth(text: string, scale = 1): number {
  return text.length === 0 ? 0 : (text.length * GLYPH_ADVANCE - 1) * scale;
}

export interface TextStyle {
  color: Rgb;
  /** Integer magnification of the 5×7 font. Default 1. */
  scale?: number;
  /** 'left' (default), 'center' or 'right' of `x`. */
  align?: 'left' | 'center' | 'right';
  /** Rotate 90° counter-clockwise (reads bottom to top, as a y-axis label); then `x, y` is the text's centre. */
  vertical?: boolean;
}

/**
 * Draws `text` with its top-left corner at (x, y), aligned by `style.align`; characters outside printable
 * ASCII are drawn as '?'.
 */
export function drawText(image: RgbaImage, text: string, x: number, y: number, style: TextStyle): void {
  const scale = style.scale ?? 1;
  const width = textWidth(text, scale);
  const shift = style.align === 'center' ? width / 2 : style.align === 'right' ? width : 0;
  // Horizontal: the top-left corner. Vertical: the bottom-left corner, as the text starts at the bottom.
  const left = Math.round(style.vertical ? x - (GLYPH_HEIGHT * scale) / 2 : x - shift);
  const top = Math.round(style.vertical ? y + width / 2 : y);
  for (let k = 0; k < text.length; k++) {
    let code = text.charCodeAt(k);
    if (code < FIRST || code > LAST) code = '?'.charCodeAt(0);
    for (let col = 0; col < COLUMNS; col++) {
      const bits = glyphs[(code - FIRST) * COLUMNS + col]!;
      for (let row = 0; row < GLYPH_HEIGHT; row++) {
        if (((bits >> row) & 1) === 0) continue;
        const along = (k * GLYPH_ADVANCE + col) * scale;
        // Vertical text is turned 90° counter-clockwise: columns run upwards, rows rightwards.
        const px = style.vertical ? left + row * scale : left + along;
        const py = style.vertical ? top - along - scale : top + row * scale;
        fillRect(image, px, py, scale, scale, style.color);
      }
    }
  }
}
