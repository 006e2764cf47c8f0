import * as tf from '@tensorflow/tfjs';
import { CHANNELS, IMAGE_SIZE, type Cifar10Dataset } from '@inv/data/browser';
import { heatmapColumns, heatmapGrid, rgbImage, type KernelModel, type Scene } from '@inv/viz/browser';
import { shownColumns } from '../site/shown_columns.js';

/**
 * The kernel figure of the fixed images `indices` of `data`: a row per image (labelled with its class), the input
 * then each shown layer's kernels summed over taps and groups, scaled per image, as the classifier draws them.
 */
export async function kernelFigure(
  kernels: KernelModel,
  data: Cifar10Dataset,
  indices: readonly number[],
  cellSize: number,
): Promise<Scene> {
  const size = IMAGE_SIZE * IMAGE_SIZE * CHANNELS;
  const pixels = indices.map((i) => data.images.subarray(i * size, (i + 1) * size));
  const xs = tf.tidy(() =>
    tf.tensor4d(
      Float32Array.from(
        pixels.flatMap((p) => Array.from(p)),
        (v) => v / 255,
      ),
      [indices.length, IMAGE_SIZE, IMAGE_SIZE, CHANNELS],
    ),
  );
  try {
    const columns = await heatmapColumns(kernels, xs, 'sum', 'image');
    const shown = shownColumns(columns).map((i) => columns[i]!);
    return heatmapGrid(
      pixels.map((p) => rgbImage(p, IMAGE_SIZE, IMAGE_SIZE)),
      shown,
      { cellSize, rowLabels: indices.map((i) => data.classNames[data.labels[i]!] ?? '') },
    );
  } finally {
    xs.dispose();
  }
}

/** The first test image of each of the first `count` classes: a fixed, varied set to watch. */
export function fixedImages(data: Cifar10Dataset, count: number): number[] {
  const found: number[] = [];
  for (let label = 0; label < count; label++) {
    const index = data.labels.indexOf(label);
    if (index >= 0) found.push(index);
  }
  return found;
}
