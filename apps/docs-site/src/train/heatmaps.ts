import * as tf from '@tensorflow/tfjs';
import { CHANNELS, IMAGE_SIZE, type Cifar10Dataset } from '@inv/data/browser';
import {
  heatmapColumns,
  heatmapGrid,
  kernelModel,
  rgbImage,
  type KernelModel,
  type Scene,
} from '@inv/viz/browser';

/** At most this many layers' columns in the figure (resinv has 12 involutions): evenly spaced, first and last kept. */
const MAX_COLUMNS = 5;

/**
 * The model's kernels for heatmaps. A model whose Involution layers do not output their kernels (all but
 * seed-inv) gets a twin built from its own topology with `return_kernel` set, the classifier unchanged; `sync`
 * copies the trained weights into it before each figure, `dispose` frees it. Undefined for a model without
 * Involution layers.
 */
export async function kernelSource(
  model: tf.LayersModel,
): Promise<{ kernels: KernelModel; sync: () => void; dispose: () => void } | undefined> {
  if (!model.layers.some((layer) => layer.getClassName() === 'Involution')) return undefined;
  try {
    // Shares the classifier's layers: freed with it.
    return { kernels: kernelModel(model), sync: () => {}, dispose: () => {} };
  } catch {
    // No Involution layer returns its kernel: the twin below.
  }
  const topology = model.toJSON(undefined, false) as unknown as {
    config: { layers: { class_name: string; config: Record<string, unknown> }[] };
  };
  for (const layer of topology.config.layers)
    if (layer.class_name === 'Involution') layer.config['return_kernel'] = true;
  const twin = await tf.models.modelFromJSON({
    modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'],
  });
  return {
    kernels: kernelModel(twin),
    sync: () => twin.setWeights(model.getWeights()),
    dispose: () => twin.dispose(),
  };
}

/** `count` indices of columns to show out of `total`: all when few, else evenly spaced. */
function shownColumns(total: number, count: number): number[] {
  if (total <= count) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.round((i * (total - 1)) / (count - 1)));
}

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
    const shown = shownColumns(columns.length, MAX_COLUMNS).map((i) => columns[i]!);
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
