/**
 * The Okabe–Ito palette (Okabe & Ito, 2008), told apart under every common colour-vision deficiency; ordered
 * for contrast on white (its yellow last, its black left out: black is the axes' colour).
 */
export const SERIES_COLORS: readonly string[] = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#f0e442',
];
