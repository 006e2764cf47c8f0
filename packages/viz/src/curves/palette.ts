import { hexColor, type Rgb } from '../raster/image.js';

/** Tableau's 10 categorical colours (matplotlib's default cycle), told apart easily side by side. */
export const SERIES_COLORS: readonly Rgb[] = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
].map(hexColor);

export const AXIS_COLOR: Rgb = [0, 0, 0];
export const GRID_COLOR: Rgb = [225, 225, 225];
export const LABEL_COLOR: Rgb = [40, 40, 40];
