import type * as tf from '@tensorflow/tfjs';
import { predictKernels, type KernelModel } from '../heatmap/kernel_model.js';
import { normalizeHeatmaps, type HeatmapNormalization } from '../heatmap/normalize.js';
import { kernelHeatmaps, type Reduction } from '../heatmap/reduce.js';
import { heatmapTitle, type HeatmapColumn } from './heatmap_grid.js';

/**
 * The grid's columns for `images`: each Involution layer's kernels reduced over taps and groups, normalised,
 * under a title that says how ({@link heatmapTitle}). The kernels are disposed before it returns.
 */
export async function heatmapColumns(
  kernels: KernelModel,
  images: tf.Tensor4D,
  reduce: Reduction,
  normalize: HeatmapNormalization,
): Promise<HeatmapColumn[]> {
  const outputs = predictKernels(kernels, images);
  try {
    const columns: HeatmapColumn[] = [];
    for (const [i, kernel] of outputs.entries()) {
      columns.push({
        title: heatmapTitle(kernels.layerNames[i]!, reduce, normalize),
        maps: normalizeHeatmaps(await kernelHeatmaps(kernel, reduce), normalize),
      });
    }
    return columns;
  } finally {
    for (const kernel of outputs) kernel.dispose();
  }
}
