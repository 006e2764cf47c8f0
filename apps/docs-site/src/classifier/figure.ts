import type * as tf from '@tensorflow/tfjs';
import {
  heatmapGrid,
  heatmapTitle,
  kernelHeatmaps,
  normalizeHeatmaps,
  predictKernels,
  rgbImage,
  type HeatmapColumn,
  type KernelModel,
  type RgbaImage,
} from '@inv/viz/browser';
import type { Pixels } from '../site/pixels.js';

/** The seed's kernel figure for one image: the input, then each Involution layer's kernel heatmap (summed). */
export async function kernelFigure(
  kernels: KernelModel,
  pixels: Pixels,
  image: tf.Tensor4D,
): Promise<RgbaImage> {
  const outputs = predictKernels(kernels, image);
  try {
    const columns: HeatmapColumn[] = [];
    for (const [i, kernel] of outputs.entries()) {
      columns.push({
        title: heatmapTitle(kernels.layerNames[i]!, 'sum', 'image'),
        maps: normalizeHeatmaps(await kernelHeatmaps(kernel, 'sum'), 'image'),
      });
    }
    return heatmapGrid([rgbImage(pixels.data, pixels.width, pixels.height)], columns, { cellSize: 128 });
  } finally {
    for (const kernel of outputs) kernel.dispose();
  }
}
