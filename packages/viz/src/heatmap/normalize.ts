import type { Heatmaps } from './heatmaps.js';

/**
 * Min-max scaling to [0, 1]: 'image' scales each map on its own (where within an image a layer looks most),
 * 'layer' scales the whole stack together (maps comparable across images).
 */
export const NORMALIZATIONS = ['image', 'layer'] as const;
export type HeatmapNormalization = (typeof NORMALIZATIONS)[number];

function scaleInto(out: Float32Array, values: Float32Array, offset: number): void {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // A constant map carries no contrast: it becomes all 0 rather than NaN.
  const range = max - min;
  for (let i = 0; i < values.length; i++) out[offset + i] = range > 0 ? (values[i]! - min) / range : 0;
}

/** The stack min-max normalised to [0, 1], per image or per layer. */
export function normalizeHeatmaps(maps: Heatmaps, mode: HeatmapNormalization): Heatmaps {
  const data = new Float32Array(maps.data.length);
  if (mode === 'layer') {
    scaleInto(data, maps.data, 0);
  } else if (mode === 'image') {
    const size = maps.height * maps.width;
    for (let i = 0; i < maps.count; i++)
      scaleInto(data, maps.data.subarray(i * size, (i + 1) * size), i * size);
  } else {
    throw new Error(
      `unknown heatmap normalisation '${String(mode)}'; expected one of: ${NORMALIZATIONS.join(', ')}`,
    );
  }
  return { ...maps, data };
}
