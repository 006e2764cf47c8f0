import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  curvesFigure,
  encodePng,
  heatmapGrid,
  heatmapTitle,
  normalizeHeatmaps,
  renderScene,
  rgbImage,
  sceneToSvg,
  SERIES_COLORS,
  type CurveRun,
  type Heatmaps,
  type RgbaImage,
} from '../src/index.js';

function decode(bytes: Uint8Array): RgbaImage {
  const png = PNG.sync.read(Buffer.from(bytes));
  return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) };
}

function colours(image: RgbaImage, rows: [number, number] = [0, image.height]): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = rows[0] * image.width * 4; i < rows[1] * image.width * 4; i += 4) {
    const key = `${image.data[i]},${image.data[i + 1]},${image.data[i + 2]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

const ramp = (count: number, size: number): Heatmaps => ({
  count,
  height: size,
  width: size,
  data: Float32Array.from({ length: count * size * size }, (_, i) => Math.sin(i * 0.37) + (i % size) / size),
});

describe('heatmapGrid → PNG', () => {
  const inputs = [0, 1].map((k) =>
    rgbImage(
      Uint8Array.from({ length: 32 * 32 * 3 }, (_, i) => (i * 7 + k * 91) % 256),
      32,
      32,
    ),
  );
  const columns = [32, 16, 8].map((size, l) => ({
    title: heatmapTitle(`inv_${l + 1}`, 'sum', 'image'),
    maps: normalizeHeatmaps(ramp(2, size), 'image'),
  }));

  it('decodes to the expected size, with many colours and titles drawn', () => {
    const image = decode(encodePng(heatmapGrid(inputs, columns, { cellSize: 96 })));
    // 4 columns as wide as their titles ("inv_1 (sum, per image)": 131 px + 2 × 8 padding), 2 rows of 96 + 8.
    expect(image.width).toBe(8 + 4 * 147 + 8);
    expect(image.height).toBe(8 + 7 + 8 + 2 * 104 + 10 + 2 + 7 + 8);
    expect(colours(image).size).toBeGreaterThan(200);
    // The title band (above the first row) holds dark text on white.
    const title = colours(image, [8, 15]);
    expect(title.get('30,30,30')).toBeGreaterThan(100);
    expect(title.get('255,255,255')).toBeGreaterThan(0);
  });

  it('overlay blends each map with its input; bad shapes are errors', () => {
    const plain = heatmapGrid(inputs, columns);
    const blended = heatmapGrid(inputs, columns, { overlay: 0.5, colormap: 'magma' });
    expect([blended.width, blended.height]).toEqual([plain.width, plain.height]);
    expect(Buffer.compare(Buffer.from(plain.data), Buffer.from(blended.data))).not.toBe(0);
    expect(() => heatmapGrid(inputs.slice(0, 1), columns)).toThrow(
      "column 'inv_1 (sum, per image)' has 2 maps for 1 input images",
    );
  });
});

describe('curvesFigure', () => {
  const run = (name: string, scale: number, epochs: number): CurveRun => ({
    name,
    history: Array.from({ length: epochs }, (_, i) => ({
      epoch: i + 1,
      loss: scale / (i + 1),
      accuracy: 1 - scale / (i + 3),
      val_loss: scale / (i + 1) + 0.2,
      val_accuracy: 0.9 - scale / (i + 3),
    })),
  });
  const runs = [run('seed-conv', 1.5, 6), run('seed-inv', 1, 4)];

  it('PNG: axes, ticks, and each of the 4 series in its own colour', () => {
    const image = decode(encodePng(renderScene(curvesFigure(runs))));
    const counts = colours(image);
    for (const [r, g, b] of SERIES_COLORS.slice(0, 4))
      expect(counts.get(`${r},${g},${b}`) ?? 0, `${r},${g},${b}`).toBeGreaterThan(50);
    // Black frame lines (axes) of two panels: at least 2 × 4 × 300 px.
    expect(counts.get('0,0,0')).toBeGreaterThan(2400);
    expect(counts.get('40,40,40')).toBeGreaterThan(500); // labels and ticks
  });

  it('SVG: the same layout, with one polyline colour per series, ticks and a legend', () => {
    const svg = sceneToSvg(curvesFigure(runs));
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="\d+" height="\d+"/);
    const strokes = new Set(
      [
        ...svg.matchAll(
          /<polyline points="[^"]*(?: [^"]*){3,}" fill="none" stroke="(#[0-9a-f]{6})" stroke-width="2"/g,
        ),
      ].map((m) => m[1]),
    );
    expect(strokes).toEqual(new Set(['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728']));
    for (const label of ['>loss<', '>accuracy<', '>epoch<', '>seed-conv train<', '>seed-inv val<', '>6<'])
      expect(svg).toContain(label);
    expect(svg).toContain('stroke-dasharray="8 5"');
  });

  it('names the runs that have no epochs', () => {
    expect(() => curvesFigure([run('a', 1, 2), { name: 'b', history: [] }])).toThrow(
      /each with at least one epoch; empty: b/,
    );
  });
});
