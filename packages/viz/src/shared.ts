// The platform-neutral part of the public API, re-exported whole by both entries (`index.ts` for Node,
// `browser.ts` for browsers): one explicit list, so the two cannot drift apart. Nothing here reaches Node.
export { kernelModel, predictKernels } from './heatmap/kernel_model.js';
export type { KernelModel } from './heatmap/kernel_model.js';
export { REDUCTIONS, reduceKernel, kernelHeatmaps } from './heatmap/reduce.js';
export type { Reduction } from './heatmap/reduce.js';
export { NORMALIZATIONS, normalizeHeatmaps } from './heatmap/normalize.js';
export type { HeatmapNormalization } from './heatmap/normalize.js';
export { heatmapAt } from './heatmap/heatmaps.js';
export type { Heatmaps } from './heatmap/heatmaps.js';

export { COLORMAPS, colormap, colormapIndex } from './colormap/colormap.js';
export type { Colormap, ColormapName } from './colormap/colormap.js';
export { colorize } from './colormap/colorize.js';

export { createImage, rgbImage, fillRect, blit, hexColor } from './raster/image.js';
export type { RgbaImage, Rgb } from './raster/image.js';
export { resizeNearest, overlay } from './raster/transform.js';
export { drawText, textWidth, GLYPH_ADVANCE, GLYPH_HEIGHT } from './raster/text.js';
export type { TextStyle } from './raster/text.js';
export { drawPolyline } from './raster/line.js';
export type { LineStyle } from './raster/line.js';

export { heatmapGrid, heatmapTitle } from './figures/heatmap_grid.js';
export { heatmapColumns } from './figures/heatmap_columns.js';
export type { HeatmapColumn, HeatmapGridOptions } from './figures/heatmap_grid.js';
export { curvesFigure } from './curves/curves_figure.js';
export type { CurveRecord, CurveRun, CurvesOptions } from './curves/curves_figure.js';
export { niceAxis } from './curves/ticks.js';
export type { Axis } from './curves/ticks.js';
export { SERIES_COLORS } from './curves/palette.js';

export { renderScene } from './scene/raster.js';
export { sceneToSvg } from './scene/svg.js';
export type { Scene, Shape } from './scene/scene.js';

export { drawToCanvas } from './canvas.js';
export type { CanvasLike, CanvasContextLike, ImageDataLike } from './canvas.js';
