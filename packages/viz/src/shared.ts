// The platform-neutral part of the public API, re-exported whole by both entries (`index.ts` for Node,
// `browser.ts` for browsers): one explicit list, so the two cannot drift apart. Nothing here reaches Node.
export { kernelModel, kernelSource, predictKernels } from './heatmap/kernel_model.js';
export type { KernelModel, KernelSource } from './heatmap/kernel_model.js';
export { REDUCTIONS, reduceKernel, kernelHeatmaps } from './heatmap/reduce.js';
export type { Reduction } from './heatmap/reduce.js';
export { NORMALIZATIONS, normalizeHeatmaps } from './heatmap/normalize.js';
export type { HeatmapNormalization } from './heatmap/normalize.js';
export { heatmapAt } from './heatmap/heatmaps.js';
export type { Heatmaps } from './heatmap/heatmaps.js';

export { COLORMAPS, colormap, colormapIndex } from './colormap/colormap.js';
export type { Colormap, ColormapName } from './colormap/colormap.js';
export { colorize } from './colormap/colorize.js';

export { rgbImage } from './image/image.js';
export type { RgbaImage, Rgb } from './image/image.js';
export { resizeNearest, overlay } from './image/transform.js';
export { FONT_FAMILY, textWidth } from './text/dejavu_metrics.js';

export { heatmapGrid, heatmapTitle } from './figures/heatmap_grid.js';
export { heatmapColumns } from './figures/heatmap_columns.js';
export type { HeatmapColumn, HeatmapGridOptions } from './figures/heatmap_grid.js';
export { curvesSpec } from './curves/curves_spec.js';
export type { CurveRecord, CurveRun, CurvesOptions } from './curves/curves_spec.js';
export { SERIES_COLORS } from './curves/palette.js';

export type { Scene, Shape } from './scene/scene.js';
export { drawToCanvas } from './scene/canvas.js';
export type { CanvasLike, CanvasContextLike, ImageDataLike } from './scene/canvas.js';
