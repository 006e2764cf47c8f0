import * as tf from '@tensorflow/tfjs';

/** A model from the classifier's input to the kernels of its Involution layers, in layer order. */
export interface KernelModel {
  readonly model: tf.LayersModel;
  /** The Involution layers' names, one per output of `model`. */
  readonly layerNames: readonly string[];
}

// Found by class name rather than `instanceof`, so models loaded from disk and any copy of @inv/core both match.
const INVOLUTION = 'Involution';

/**
 * Exposes the kernels `[B, Ho, Wo, K·K, G]` of every Involution layer built with `returnKernel: true` (such a
 * layer outputs `[output, kernel]`). `predict` on the result returns one kernel per layer; the classifier's
 * weights are shared, not copied.
 */
export function kernelModel(model: tf.LayersModel): KernelModel {
  const involutions = model.layers.filter((layer) => layer.getClassName() === INVOLUTION);
  const withKernel = involutions.filter((layer) => layer.getConfig()['returnKernel'] === true);
  if (withKernel.length === 0) {
    const found =
      involutions.length === 0
        ? 'no Involution layer'
        : `Involution layers without returnKernel: ${involutions.map((l) => l.name).join(', ')}`;
    throw new Error(
      `kernelModel: model '${model.name}' has no Involution layer built with returnKernel: true (it has ${found})`,
    );
  }
  const kernels = withKernel.map((layer) => (layer.output as tf.SymbolicTensor[])[1]!);
  return {
    model: tf.model({ name: `${model.name}_kernels`, inputs: model.inputs, outputs: kernels }),
    layerNames: withKernel.map((layer) => layer.name),
  };
}

/** Runs a {@link KernelModel} in inference mode: one kernel tensor per layer (the caller disposes them). */
export function predictKernels(kernels: KernelModel, images: tf.Tensor4D): tf.Tensor[] {
  const out = kernels.model.predict(images);
  return Array.isArray(out) ? out : [out];
}

/** The kernels of a model for heatmaps, kept in step with the model's weights. */
export interface KernelSource {
  readonly kernels: KernelModel;
  /** Copies the model's current weights into the twin (nothing to do where the layers are the model's own). */
  sync(): void;
  /** Frees the twin, if one was built. */
  dispose(): void;
}

/**
 * The kernels of `model`'s Involution layers for heatmaps, whether or not they output them. Where none does
 * (every model but seed-inv), a twin built from the model's own topology with `return_kernel` set: `sync`
 * copies the model's weights into it (call it before each figure), `dispose` frees it. Undefined for a model
 * without Involution layers.
 */
export async function kernelSource(model: tf.LayersModel): Promise<KernelSource | undefined> {
  const involutions = model.layers.filter((layer) => layer.getClassName() === INVOLUTION);
  if (involutions.length === 0) return undefined;
  if (involutions.some((layer) => layer.getConfig()['returnKernel'] === true)) {
    // Shares the model's layers: freed with it.
    return { kernels: kernelModel(model), sync: () => {}, dispose: () => {} };
  }
  const topology = model.toJSON(undefined, false) as unknown as {
    config: { layers: { class_name: string; config: Record<string, unknown> }[] };
  };
  for (const layer of topology.config.layers)
    if (layer.class_name === INVOLUTION) layer.config['return_kernel'] = true;
  const twin = await tf.models.modelFromJSON({
    modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'],
  });
  return {
    kernels: kernelModel(twin),
    sync: () => twin.setWeights(model.getWeights()),
    dispose: () => twin.dispose(),
  };
}
