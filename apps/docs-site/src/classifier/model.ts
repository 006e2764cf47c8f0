import * as tf from '@tensorflow/tfjs';
// Registers the Involution layer class, which tf.loadLayersModel needs to deserialize the model.
import '@inv/core';

/** `meta.json` next to the model files: where the weights came from and what the outputs mean. */
export interface ModelMeta {
  readonly model: string;
  readonly source: string;
  readonly epochs: number;
  readonly testAccuracy: number;
  readonly classNames: readonly string[];
}

export interface SeedModel {
  readonly model: tf.LayersModel;
  readonly meta: ModelMeta;
}

/** The model URL relative to the page, so the site works from any folder. */
export const SEED_MODEL_URL = './models/seed-inv/';

/** Loads the committed seed-inv checkpoint (tfjs layers format) and its metadata. */
export async function loadSeedModel(base: string = SEED_MODEL_URL): Promise<SeedModel> {
  const response = await fetch(`${base}meta.json`);
  if (!response.ok) throw new Error(`${base}meta.json: HTTP ${response.status}`);
  const [meta, model] = await Promise.all([
    response.json() as Promise<ModelMeta>,
    tf.loadLayersModel(`${base}model.json`),
  ]);
  return { model, meta };
}
