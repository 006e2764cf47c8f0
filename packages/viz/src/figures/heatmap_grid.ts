import { colorize } from '../colormap/colorize.js';
import { colormap, type ColormapName } from '../colormap/colormap.js';
import type { HeatmapNormalization } from '../heatmap/normalize.js';
import { heatmapAt, type Heatmaps } from '../heatmap/heatmaps.js';
import type { Reduction } from '../heatmap/reduce.js';
import type { Rgb, RgbaImage } from '../image/image.js';
import { overlay, resizeNearest } from '../image/transform.js';
import type { Scene, Shape } from '../scene/scene.js';
import { ASCENT, textWidth } from '../text/dejavu_metrics.js';

/** One column of the grid: a layer's heatmaps (already in [0, 1], one per input image) under a title. */
export interface HeatmapColumn {
  readonly title: string;
  readonly maps: Heatmaps;
}

export interface HeatmapGridOptions {
  /** Default 'viridis'. */
  readonly colormap?: ColormapName;
  /** Draw each heatmap over its input image with this opacity (0..1) instead of on its own. */
  readonly overlay?: number;
  /** Side of each cell in px; every image and map is upscaled (nearest neighbour) to it. Default 128. */
  readonly cellSize?: number;
  /** A label left of each row (e.g. the image's class). */
  readonly rowLabels?: readonly string[];
}

const PAD = 8;
const TITLE_SIZE = 13;
const LABEL_SIZE = 12;
const TICK_SIZE = 11;
const TEXT: Rgb = [30, 30, 30];
const COLORBAR_WIDTH = 256;
const COLORBAR_HEIGHT = 12;
/** The rows a line of text at `size` px takes (DejaVu Sans: ascent + descent ≈ 1.17 em). */
const lineHeight = (size: number) => Math.ceil(size * 1.2);

/** The column title the seed's figure uses, with how the maps were made: `inv_1 (sum, per image)`. */
export function heatmapTitle(layer: string, reduce: Reduction, normalize: HeatmapNormalization): string {
  return `${layer} (${reduce}, per ${normalize})`;
}

/** The colour bar: the table itself, left to right (value 0 → 1), `COLORBAR_HEIGHT` rows. */
function colorbar(name: ColormapName): RgbaImage {
  const ramp = Float32Array.from({ length: COLORBAR_WIDTH }, (_, i) => i / (COLORBAR_WIDTH - 1));
  return resizeNearest(colorize(ramp, COLORBAR_WIDTH, 1, colormap(name)), COLORBAR_WIDTH, COLORBAR_HEIGHT);
}

/**
 * The seed's figure as a {@link Scene}: one row per image, columns [input, layer 1, layer 2, …], titles on
 * top, a row label at the left, and a labelled colour bar (0 → 1) underneath. Cells sit on whole pixels.
 */
export function heatmapGrid(
  inputs: readonly RgbaImage[],
  columns: readonly HeatmapColumn[],
  options: HeatmapGridOptions = {},
): Scene {
  const { colormap: name = 'viridis', cellSize: cell = 128, rowLabels } = options;
  for (const column of columns) {
    if (column.maps.count !== inputs.length) {
      throw new Error(
        `heatmapGrid: column '${column.title}' has ${column.maps.count} maps for ${inputs.length} input images`,
      );
    }
  }
  if (rowLabels !== undefined && rowLabels.length !== inputs.length) {
    throw new Error(`heatmapGrid: ${rowLabels.length} row labels for ${inputs.length} input images`);
  }
  const table = colormap(name);
  const titles = ['input', ...columns.map((column) => column.title)];
  const columnWidth = Math.ceil(
    Math.max(cell, ...titles.map((title) => textWidth(title, TITLE_SIZE, true) + 2 * PAD)),
  );
  const labelWidth = rowLabels
    ? Math.ceil(Math.max(...rowLabels.map((label) => textWidth(label, LABEL_SIZE)))) + PAD
    : 0;
  const gridTop = PAD + lineHeight(TITLE_SIZE) + PAD / 2;
  const gridLeft = PAD + labelWidth;
  const rowHeight = cell + PAD;
  const footerTop = gridTop + inputs.length * rowHeight + PAD;
  const caption = `${name}, min-max scaled (see titles)`;
  const barLeft = gridLeft;
  const width = Math.ceil(
    Math.max(
      gridLeft + titles.length * columnWidth + PAD,
      barLeft + COLORBAR_WIDTH + 2 * PAD + textWidth(caption, LABEL_SIZE) + PAD,
    ),
  );
  const height = footerTop + COLORBAR_HEIGHT + 2 + lineHeight(TICK_SIZE) + PAD;

  const shapes: Shape[] = [];
  const text = (
    x: number,
    top: number,
    value: string,
    size: number,
    anchor: 'start' | 'middle',
    bold = false,
  ) => shapes.push({ kind: 'text', x, y: top + ASCENT * size, text: value, size, color: TEXT, anchor, bold });
  const cellX = (column: number) => gridLeft + column * columnWidth + Math.floor((columnWidth - cell) / 2);
  titles.forEach((title, c) =>
    text(gridLeft + c * columnWidth + columnWidth / 2, PAD, title, TITLE_SIZE, 'middle', true),
  );
  inputs.forEach((input, row) => {
    const y = gridTop + row * rowHeight;
    const base = resizeNearest(input, cell, cell);
    if (rowLabels) text(PAD, y + (cell - lineHeight(LABEL_SIZE)) / 2, rowLabels[row]!, LABEL_SIZE, 'start');
    shapes.push({ kind: 'image', x: cellX(0), y, image: base });
    columns.forEach(({ maps }, c) => {
      const map = resizeNearest(colorize(heatmapAt(maps, row), maps.width, maps.height, table), cell, cell);
      const image = options.overlay === undefined ? map : overlay(base, map, options.overlay);
      shapes.push({ kind: 'image', x: cellX(c + 1), y, image });
    });
  });
  shapes.push({ kind: 'image', x: barLeft, y: footerTop, image: colorbar(name) });
  const tickTop = footerTop + COLORBAR_HEIGHT + 2;
  text(barLeft, tickTop, '0', TICK_SIZE, 'middle');
  text(barLeft + COLORBAR_WIDTH, tickTop, '1', TICK_SIZE, 'middle');
  text(
    barLeft + COLORBAR_WIDTH + 2 * PAD,
    footerTop + (COLORBAR_HEIGHT - lineHeight(LABEL_SIZE)) / 2,
    caption,
    LABEL_SIZE,
    'start',
  );
  return { width, height, background: [255, 255, 255], shapes };
}
