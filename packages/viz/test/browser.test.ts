import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { drawToCanvas, rgbImage, type CanvasLike, type Scene } from '../src/browser.js';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** The bare modules reached from `entry` through relative imports (type-only imports vanish at build). */
function bareImports(entry: string): Set<string> {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(
      /(?:^|\n)\s*(?:import|export)\b(?!\s+type\b)[^'"]*?from\s*'([^']+)'/g,
    )) {
      if (spec!.startsWith('.')) visit(join(dirname(file), spec!.replace(/\.js$/, '.ts')));
      else bare.add(spec!);
    }
  };
  visit(join(src, entry));
  return bare;
}

describe('browser entry', () => {
  it('reaches no Node-only module (the Node entry adds pngjs, resvg and pdfkit)', () => {
    // Vega and Vega-Lite run in browsers too: drawCurves draws with them in a page.
    expect([...bareImports('browser.ts')].sort()).toEqual(['@tensorflow/tfjs', 'vega', 'vega-lite']);
    expect([...bareImports('index.ts')].sort()).toEqual([
      '@resvg/resvg-js',
      '@tensorflow/tfjs',
      'node:module',
      'pdfkit',
      'pngjs',
      'svg-to-pdfkit',
      'vega',
      'vega-lite',
    ]);
  });

  it('drawToCanvas sizes the canvas and draws rectangles, text and images 1:1', () => {
    const calls: unknown[] = [];
    const context = {
      fillStyle: '' as unknown,
      font: '',
      textAlign: '',
      textBaseline: '',
      fillRect: (...args: number[]) => calls.push(['fillRect', context.fillStyle, ...args]),
      fillText: (text: string, x: number, y: number) =>
        calls.push(['fillText', context.fillStyle, context.font, context.textAlign, text, x, y]),
      createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }),
      putImageData: (imageData: { data: Uint8ClampedArray }, x: number, y: number) =>
        calls.push(['putImageData', [...imageData.data], x, y]),
    };
    const canvas: CanvasLike = { width: 0, height: 0, getContext: () => context };
    const scene: Scene = {
      width: 40,
      height: 30,
      background: [255, 255, 255],
      shapes: [
        { kind: 'rect', x: 1, y: 2, width: 3, height: 4, fill: [255, 0, 16] },
        {
          kind: 'text',
          x: 20,
          y: 12,
          text: 'inv_1',
          size: 13,
          color: [30, 30, 30],
          anchor: 'middle',
          bold: true,
        },
        { kind: 'image', x: 5, y: 6, image: rgbImage(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 1) },
      ],
    };
    drawToCanvas(scene, canvas);
    expect([canvas.width, canvas.height]).toEqual([40, 30]);
    expect(calls).toEqual([
      ['fillRect', '#ffffff', 0, 0, 40, 30],
      ['fillRect', '#ff0010', 1, 2, 3, 4],
      ['fillText', '#1e1e1e', 'bold 13px "DejaVu Sans", sans-serif', 'center', 'inv_1', 20, 12],
      ['putImageData', [1, 2, 3, 255, 4, 5, 6, 255], 5, 6],
    ]);
    expect(() =>
      drawToCanvas(
        { ...scene, shapes: [{ kind: 'svg', x: 0, y: 0, width: 1, height: 1, markup: '<svg/>' }] },
        canvas,
      ),
    ).toThrow(/render curves in a page with Vega from curvesSpec/);
  });

  it('accepts a DOM canvas by type', () => {
    const typed: (canvas: HTMLCanvasElement | OffscreenCanvas) => CanvasLike = (canvas) => canvas;
    expect(typed).toBeTypeOf('function');
  });
});
