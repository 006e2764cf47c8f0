import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drawToCanvas, rgbImage, type CanvasLike } from '../src/browser.js';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** The bare modules reached from `entry` through relative imports. */
function bareImports(entry: string): Set<string> {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'/g,
    )) {
      if (spec!.startsWith('.')) visit(join(dirname(file), spec!.replace(/\.js$/, '.ts')));
      else bare.add(spec!);
    }
  };
  visit(join(src, entry));
  return bare;
}

describe('browser entry', () => {
  it('reaches no Node-only module (the Node entry adds pngjs)', () => {
    expect([...bareImports('browser.ts')]).toEqual(['@tensorflow/tfjs']);
    expect([...bareImports('index.ts')].sort()).toEqual(['@tensorflow/tfjs', 'pngjs']);
  });

  it('drawToCanvas sizes the canvas and puts the pixels at the origin', () => {
    const puts: { data: Uint8ClampedArray; x: number; y: number }[] = [];
    const canvas: CanvasLike = {
      width: 0,
      height: 0,
      getContext: () => ({
        createImageData: (w, h) => ({ data: new Uint8ClampedArray(w * h * 4) }),
        putImageData: (imageData, x, y) => puts.push({ data: imageData.data, x, y }),
      }),
    };
    const image = rgbImage(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 1);
    drawToCanvas(image, canvas);
    expect([canvas.width, canvas.height]).toEqual([2, 1]);
    expect(puts).toEqual([{ data: Uint8ClampedArray.from([1, 2, 3, 255, 4, 5, 6, 255]), x: 0, y: 0 }]);
  });

  it('accepts a DOM canvas by type', () => {
    const typed: (canvas: HTMLCanvasElement | OffscreenCanvas) => CanvasLike = (canvas) => canvas;
    expect(typed).toBeTypeOf('function');
  });
});
