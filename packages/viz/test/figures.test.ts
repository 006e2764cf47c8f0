import { describe, expect, it } from 'vitest';
import {
  colorize,
  colormap,
  curvesFigure,
  curvesSpec,
  encodePng,
  heatmapAt,
  heatmapGrid,
  heatmapTitle,
  normalizeHeatmaps,
  renderScene,
  rgbImage,
  sceneToPdf,
  sceneToSvg,
  SERIES_COLORS,
  type CurveRun,
  type Heatmaps,
  type Shape,
} from '../src/index.js';
import { countColor, hexRgb, readPdf, rgbAt } from './helpers.js';

const ramp = (count: number, size: number): Heatmaps => ({
  count,
  height: size,
  width: size,
  data: Float32Array.from({ length: count * size * size }, (_, i) => Math.sin(i * 0.37) + (i % size) / size),
});

describe('heatmapGrid', () => {
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
  const titles = ['input', 'inv_1 (sum, per image)', 'inv_2 (sum, per image)', 'inv_3 (sum, per image)'];
  const cell = 96;
  const scene = heatmapGrid(inputs, columns, { cellSize: cell, rowLabels: ['cat', 'ship'] });
  const images = scene.shapes.filter((shape) => shape.kind === 'image');
  /** The image shape of row r, column c (0: the input). */
  const cellAt = (r: number, c: number) => images[r * 4 + c] as Extract<Shape, { kind: 'image' }>;

  it('lays out titles, row labels, one image per cell and a colour bar, on whole pixels', () => {
    const texts = scene.shapes.flatMap((shape) => (shape.kind === 'text' ? [shape.text] : []));
    expect(texts).toEqual([...titles, 'cat', 'ship', '0', '1', 'viridis, min-max scaled (see titles)']);
    expect(images).toHaveLength(2 * 4 + 1);
    for (const { x, y, image } of images.slice(0, 8)) {
      expect([Number.isInteger(x), Number.isInteger(y), image.width, image.height]).toEqual([
        true,
        true,
        cell,
        cell,
      ]);
    }
    // Rows one cell plus a gap apart, columns left to right, all inside the figure.
    expect(cellAt(1, 0).y - cellAt(0, 0).y).toBe(cell + 8);
    expect(cellAt(0, 3).x).toBeGreaterThan(cellAt(0, 2).x + cell);
    expect(cellAt(0, 3).x + cell).toBeLessThanOrEqual(scene.width);
    expect(() => heatmapGrid(inputs.slice(0, 1), columns)).toThrow(
      "column 'inv_1 (sum, per image)' has 2 maps for 1 input images",
    );
  });

  it('SVG: titles as text in the shipped font, every cell an embedded PNG drawn pixelated', () => {
    const svg = sceneToSvg(scene);
    expect(svg).toMatch(
      new RegExp(
        `^<svg xmlns="http://www.w3.org/2000/svg"[^>]* width="${scene.width}" height="${scene.height}"`,
      ),
    );
    for (const title of titles) expect(svg).toContain(`font-weight="bold" fill="#1e1e1e">${title}</text>`);
    expect(svg).toContain('font-family="DejaVu Sans"');
    expect(
      svg.match(/<image [^>]*image-rendering="optimizeSpeed"[^>]*href="data:image\/png;base64,/g),
    ).toHaveLength(9);
  });

  it.each([1, 2])(
    'PNG at %i×: the size scales, and every cell pixel holds its colour-mapped value',
    (scale) => {
      const png = renderScene(scene, scale);
      expect([png.width, png.height]).toEqual([scene.width * scale, scene.height * scale]);
      const table = colormap('viridis');
      columns.forEach(({ maps }, c) => {
        const expected = colorize(heatmapAt(maps, 1), maps.width, maps.height, table);
        const { x, y } = cellAt(1, c + 1);
        const block = cell / maps.width;
        for (let j = 0; j < maps.height; j += 3) {
          for (let i = 0; i < maps.width; i += 3) {
            const at = rgbAt(png, (x + (i + 0.5) * block) * scale, (y + (j + 0.5) * block) * scale);
            expect(at, `column ${c + 1}, map pixel (${i}, ${j})`).toEqual(rgbAt(expected, i, j));
          }
        }
      });
      // The colour bar runs from the table's first entry to its last; titles put dark text on white.
      const bar = images[8]!;
      expect(rgbAt(png, (bar.x + 0.5) * scale, (bar.y + 5) * scale)).toEqual([...table.subarray(0, 3)]);
      expect(rgbAt(png, (bar.x + 255.5) * scale, (bar.y + 5) * scale)).toEqual([...table.subarray(765, 768)]);
      expect(countColor(png, [30, 30, 30])).toBeGreaterThan(100 * scale * scale);
    },
  );

  it('overlay: each map blended over its input at the given opacity', () => {
    const blended = heatmapGrid(inputs, columns, { cellSize: cell, overlay: 0.5, colormap: 'magma' });
    const png = renderScene(blended);
    const { x, y } = blended.shapes.filter((shape) => shape.kind === 'image')[1]!;
    const maps = columns[0]!.maps;
    const map = colorize(heatmapAt(maps, 0), maps.width, maps.height, colormap('magma'));
    for (const [i, j] of [
      [0, 0],
      [5, 9],
      [31, 31],
    ] as const) {
      const base = rgbAt(inputs[0]!, i, j);
      const top = rgbAt(map, i, j);
      const at = rgbAt(png, x + (i + 0.5) * 3, y + (j + 0.5) * 3);
      at.forEach((v, k) =>
        expect(Math.abs(v - (base[k]! + top[k]!) / 2), `(${i}, ${j})`).toBeLessThanOrEqual(1),
      );
    }
  });

  it('PDF: one page of the figure size, with its titles as text', async () => {
    const { pages, text } = await readPdf(await sceneToPdf(scene));
    expect(pages).toEqual([[scene.width, scene.height]]);
    for (const title of titles) expect(text).toContain(title);
    expect(text).toContain('viridis, min-max scaled');
  });
});

describe('curves', () => {
  const run = (name: string, scale: number, epochs: number): CurveRun => ({
    name,
    history: Array.from({ length: epochs }, (_, i) => ({
      epoch: i + 1,
      loss: scale / (i + 1),
      accuracy: 1 - scale / (i + 3),
      val_loss: scale / (i + 1) + 0.2,
      // Test accuracy peaks at epoch 3, then falls.
      val_accuracy: 0.6 - Math.abs(i - 2) * 0.05 * scale,
    })),
  });
  const runs = [run('seed-conv', 1.5, 6), run('seed-inv', 1, 4)];

  it('spec: two panels of plain data, an Okabe–Ito colour per run, the best epoch marked, optional log loss', () => {
    const spec = curvesSpec(runs) as unknown as {
      hconcat: {
        title: string;
        layer: {
          data: { values: Record<string, unknown>[] };
          encoding: Record<string, { scale?: unknown; title?: unknown }>;
        }[];
      }[];
    };
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
    expect(spec.hconcat.map((panel) => panel.title)).toEqual(['loss', 'accuracy']);
    const [lines, best] = spec.hconcat[1]!.layer;
    expect(lines!.data.values).toHaveLength(2 * (6 + 4));
    expect(lines!.encoding['color']!.scale).toEqual({
      domain: ['seed-conv', 'seed-inv'],
      range: SERIES_COLORS,
    });
    expect(best!.data.values).toEqual([
      { run: 'seed-conv', metric: 'accuracy', epoch: 3, value: 0.6, marker: 'best epoch (test accuracy)' },
      { run: 'seed-inv', metric: 'accuracy', epoch: 3, value: 0.6, marker: 'best epoch (test accuracy)' },
    ]);
    const logLoss = curvesSpec(runs, { logLoss: true }) as unknown as typeof spec;
    expect(logLoss.hconcat[0]!.layer[0]!.encoding['y']).toMatchObject({
      title: 'loss (log scale)',
      scale: { type: 'log' },
    });
    expect(logLoss.hconcat[1]!.layer[0]!.encoding['y']!.scale).toMatchObject({ zero: false });
    expect(() => curvesSpec([run('a', 1, 2), { name: 'b', history: [] }])).toThrow(
      /each with at least one epoch; empty: b/,
    );
    // A test loss that was not finite (null in history.jsonl) is a gap in the loss curve, nothing else.
    const gap = run('gap', 1, 4);
    const withGap = { ...gap, history: gap.history.map((r, i) => (i === 1 ? { ...r, val_loss: null } : r)) };
    const gapSpec = curvesSpec([withGap]) as unknown as typeof spec;
    const lossPoints = gapSpec.hconcat[0]!.layer[0]!.data.values;
    expect(lossPoints).toHaveLength(2 * 4 - 1);
    expect(lossPoints.filter((p) => p['split'] === 'test').map((p) => p['epoch'])).toEqual([1, 3, 4]);
    expect(gapSpec.hconcat[1]!.layer[0]!.data.values).toHaveLength(2 * 4);
  });

  it('SVG: titles, axis labels, a legend, one line per run and split, and the best-epoch diamonds', async () => {
    const scene = await curvesFigure(runs);
    const svg = sceneToSvg(scene);
    for (const label of [
      'loss',
      'accuracy',
      'epoch',
      'run',
      'seed-conv',
      'seed-inv',
      'split',
      'train',
      'test',
      'best epoch (test accuracy)',
    ])
      expect(svg).toContain(`>${label}</text>`);
    const lines = [
      ...svg.matchAll(
        /aria-label="epoch: 1; (\w+): [^;]*; run: ([\w-]+); split: (\w+)"[^>]*aria-roledescription="line mark"[^>]*stroke="(#[0-9a-f]{6})" stroke-width="2" stroke-dasharray="([^"]*)"/g,
      ),
    ].map(([, metric, name, split, stroke, dash]) => `${metric} ${name} ${split} ${stroke} ${dash}`);
    expect(lines.sort()).toEqual(
      [
        'accuracy seed-conv test #0072b2 6,3',
        'accuracy seed-conv train #0072b2 ',
        'accuracy seed-inv test #d55e00 6,3',
        'accuracy seed-inv train #d55e00 ',
        'loss seed-conv test #0072b2 6,3',
        'loss seed-conv train #0072b2 ',
        'loss seed-inv test #d55e00 6,3',
        'loss seed-inv train #d55e00 ',
      ].sort(),
    );
    expect(svg.match(/aria-label="epoch: 3; \w+: [^;]*; run: [\w-]+; marker: best epoch/g)).toHaveLength(4);
    expect(svg).toContain('font-family="DejaVu Sans"');
  });

  it.each([1, 2])('PNG at %i×: the size scales and both run colours are drawn', async (scale) => {
    const scene = await curvesFigure(runs);
    const png = renderScene(scene, scale);
    expect([png.width, png.height]).toEqual([scene.width * scale, scene.height * scale]);
    for (const hex of SERIES_COLORS.slice(0, 2))
      expect(countColor(png, hexRgb(hex)), hex).toBeGreaterThan(200 * scale);
    expect([...encodePng(png).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // 'PNG'
  });

  it('PDF: one page with the titles and legend as text', async () => {
    const scene = await curvesFigure(runs);
    const { pages, text } = await readPdf(await sceneToPdf(scene));
    expect(pages).toEqual([[scene.width, scene.height]]);
    for (const label of ['loss', 'accuracy', 'epoch', 'seed-conv', 'seed-inv', 'best epoch (test accuracy)'])
      expect(text).toContain(label);
  });
});
