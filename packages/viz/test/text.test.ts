import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { FONT_FILES, textWidth } from '../src/index.js';

describe('text metrics', () => {
  it('match the shipped DejaVu Sans files for all of printable ASCII', () => {
    const doc = new PDFDocument();
    const ascii = String.fromCharCode(...Array.from({ length: 95 }, (_, i) => 0x20 + i));
    for (const [weight, file] of Object.entries(FONT_FILES)) {
      expect(existsSync(file), file).toBe(true);
      doc.font(file).fontSize(100);
      for (const char of ascii)
        expect(textWidth(char, 100, weight === 'bold'), `${weight} '${char}'`).toBeCloseTo(
          doc.widthOfString(char),
          6,
        );
    }
  });

  it('counts other characters as an M', () => {
    expect(textWidth('×é', 10)).toBeCloseTo(2 * textWidth('M', 10), 9);
  });
});
