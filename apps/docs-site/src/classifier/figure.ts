import type * as tf from '@tensorflow/tfjs';
import { heatmapColumns, heatmapGrid, rgbImage, type KernelModel, type Scene } from '@inv/viz/browser';
import type { Pixels } from '../site/pixels.js';

/** The seed's kernel figure for one image: the input, then each Involution layer's kernel heatmap (summed). */
export async function kernelFigure(kernels: KernelModel, pixels: Pixels, image: tf.Tensor4D): Promise<Scene> {
  const columns = await heatmapColumns(kernels, image, 'sum', 'image');
  return heatmapGrid([rgbImage(pixels.data, pixels.width, pixels.height)], columns, { cellSize: 128 });
}
