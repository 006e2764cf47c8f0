// The kernels of a model's Involution layers for heatmaps, as the classifier and the Train page draw them.
import * as tf from '@tensorflow/tfjs';
import { kernelModel, type KernelModel } from '@inv/viz/browser';

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

/** The indices of the columns a figure shows: all when few, else MAX_COLUMNS evenly spaced (first and last kept). */
export function shownColumns(columns: readonly unknown[]): number[] {
  const total = columns.length;
  if (total <= MAX_COLUMNS) return Array.from({ length: total }, (_, i) => i);
  return Array.from({ length: MAX_COLUMNS }, (_, i) => Math.round((i * (total - 1)) / (MAX_COLUMNS - 1)));
}
