import type * as tf from '@tensorflow/tfjs';
import { heatmapColumns, heatmapGrid, rgbImage, type KernelModel, type Scene } from '@inv/viz/browser';
import { shownColumns } from '../site/shown_columns.js';
import type { Pixels } from '../site/pixels.js';

/**
 * The kernel figure for one image: the input, then the Involution layers' kernel heatmaps (summed; at most five
 * layers, evenly spaced).
 */
export async function kernelFigure(kernels: KernelModel, pixels: Pixels, image: tf.Tensor4D): Promise<Scene> {
  const columns = await heatmapColumns(kernels, image, 'sum', 'image');
  const shown = shownColumns(columns).map((i) => columns[i]!);
  return heatmapGrid([rgbImage(pixels.data, pixels.width, pixels.height)], shown, { cellSize: 128 });
}
