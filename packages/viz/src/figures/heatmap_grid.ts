import { colorize } from '../colormap/colorize.js';
import { colormap, type ColormapName } from '../colormap/colormap.js';
import type { HeatmapNormalization } from '../heatmap/normalize.js';
import { heatmapAt, type Heatmaps } from '../heatmap/heatmaps.js';
import type { Reduction } from '../heatmap/reduce.js';
import { blit, createImage, type Rgb, type RgbaImage } from '../raster/image.js';
import { drawText, GLYPH_HEIGHT, textWidth } from '../raster/text.js';
import { overlay, resizeNearest } from '../raster/transform.js';

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
  /** Side of each cell in pixels; every image and map is upscaled (nearest neighbour) to it. Default 128. */
  readonly cellSize?: number;
  /** A label left of each row (e.g. the image's class). */
  readonly rowLabels?: readonly string[];
}

const PAD = 8;
const TEXT: Rgb = [30, 30, 30];
const COLORBAR_WIDTH = 256;
const COLORBAR_HEIGHT = 10;

/** The column title the seed's figure uses, with how the maps were made: `inv_1 (sum, per image)`. */
export function heatmapTitle(layer: string, reduce: Reduction, normalize: HeatmapNormalization): string {
  return `${layer} (${reduce}, per ${normalize})`;
}

/**
 * The seed's figure: one row per image, columns [input, layer 1, layer 2, …], titles on top and a colour bar
 * (0 → 1) underneath.
 */
export function heatmapGrid(
  inputs: readonly RgbaImage[],
  columns: readonly HeatmapColumn[],
  options: HeatmapGridOptions = {},
): RgbaImage {
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
  const columnWidth = Math.max(cell, ...titles.map((title) => textWidth(title) + 2 * PAD));
  const labelWidth = rowLabels ? Math.max(...rowLabels.map((label) => textWidth(label))) + PAD : 0;
  const gridTop = PAD + GLYPH_HEIGHT + PAD;
  const gridLeft = PAD + labelWidth;
  const rowHeight = cell + PAD;
  const footerTop = gridTop + inputs.length * rowHeight;
  const caption = `${name}, min-max scaled (see titles)`;
  const width = Math.max(
    gridLeft + titles.length * columnWidth + PAD,
    2 * PAD + COLORBAR_WIDTH + PAD + textWidth(caption),
  );
  const height = footerTop + COLORBAR_HEIGHT + 2 + GLYPH_HEIGHT + PAD;
  const image = createImage(width, height);

  const cellX = (column: number) => gridLeft + column * columnWidth + Math.floor((columnWidth - cell) / 2);
  titles.forEach((title, c) =>
    drawText(image, title, gridLeft + c * columnWidth + columnWidth / 2, PAD, {
      color: TEXT,
      align: 'center',
    }),
  );
  inputs.forEach((input, row) => {
    const y = gridTop + row * rowHeight;
    const base = resizeNearest(input, cell, cell);
    if (rowLabels) drawText(image, rowLabels[row]!, PAD, y + (cell - GLYPH_HEIGHT) / 2, { color: TEXT });
    blit(image, base, cellX(0), y);
    columns.forEach(({ maps }, c) => {
      const map = resizeNearest(colorize(heatmapAt(maps, row), maps.width, maps.height, table), cell, cell);
      blit(image, options.overlay === undefined ? map : overlay(base, map, options.overlay), cellX(c + 1), y);
    });
  });
  // The colour bar: the table itself, left to right, labelled at both ends.
  const ramp = colorize(
    Float32Array.from({ length: COLORBAR_WIDTH }, (_, i) => i / (COLORBAR_WIDTH - 1)),
    COLORBAR_WIDTH,
    1,
    table,
  );
  blit(image, resizeNearest(ramp, COLORBAR_WIDTH, COLORBAR_HEIGHT), 2 * PAD, footerTop);
  drawText(image, '0', 2 * PAD, footerTop + COLORBAR_HEIGHT + 2, { color: TEXT, align: 'center' });
  drawText(image, '1', 2 * PAD + COLORBAR_WIDTH, footerTop + COLORBAR_HEIGHT + 2, {
    color: TEXT,
    align: 'center',
  });
  drawText(image, caption, 3 * PAD + COLORBAR_WIDTH, footerTop + 1, { color: TEXT });
  return image;
}
