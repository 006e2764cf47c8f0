/** A stack of 2-D maps, `[count, height, width]` row-major: one heatmap per image of a batch. */
export interface Heatmaps {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly data: Float32Array;
}

/** Map `index` of the stack, as a view (no copy). */
export function heatmapAt(maps: Heatmaps, index: number): Float32Array {
  if (!Number.isInteger(index) || index < 0 || index >= maps.count) {
    throw new Error(`heatmap index ${index} is out of range; the stack has ${maps.count}`);
  }
  const size = maps.height * maps.width;
  return maps.data.subarray(index * size, (index + 1) * size);
}
