// Which of a model's Involution layers the classifier and the Train page draw (the kernels come from
// @inv/viz's kernelSource).

/** At most this many layers' columns in the figure (resinv has 12 involutions): evenly spaced, first and last kept. */
const MAX_COLUMNS = 5;

/** The indices of the columns a figure shows: all when few, else MAX_COLUMNS evenly spaced (first and last kept). */
export function shownColumns(columns: readonly unknown[]): number[] {
  const total = columns.length;
  if (total <= MAX_COLUMNS) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: MAX_COLUMNS }, (_, i) => Math.round((i * (total - 1)) / (MAX_COLUMNS - 1)));
}
