import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RgbaImage } from '../src/index.js';

/** The RGB of a pixel. */
export function rgbAt(image: RgbaImage, x: number, y: number): number[] {
  const i = (Math.floor(y) * image.width + Math.floor(x)) * 4;
  return [...image.data.subarray(i, i + 3)];
}

/** How many pixels are exactly `[r, g, b]`. */
export function countColor(image: RgbaImage, [r, g, b]: readonly number[]): number {
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4)
    if (image.data[i] === r && image.data[i + 1] === g && image.data[i + 2] === b) count++;
  return count;
}

export const hexRgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** A PDF's pages (width × height in pt) and the text on them, read back by pdf.js. */
export async function readPdf(bytes: Uint8Array): Promise<{ pages: [number, number][]; text: string }> {
  const pdf = await getDocument({ data: bytes.slice(), useSystemFonts: false }).promise;
  const pages: [number, number][] = [];
  const text: string[] = [];
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const [, , width, height] = page.view as [number, number, number, number];
    pages.push([width, height]);
    const content = await page.getTextContent();
    text.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return { pages, text: text.join('\n') };
}
