import * as tf from '@tensorflow/tfjs';
// Registers the Involution layer class, which tf.loadLayersModel needs to deserialize the model.
import '@inv/core';
import { META_FILE, MODEL_FILE, type InvModelMeta } from '../train/model_files.js';

/** What the page shows of a model folder's `inv-model.json` (as `inv export` writes it). */
export type ClassifierMeta = Pick<InvModelMeta, 'model' | 'classNames' | 'source'> &
  Partial<Pick<InvModelMeta, 'epochs' | 'testAccuracy'>>;

export interface ClassifierModel {
  readonly model: tf.LayersModel;
  readonly meta: ClassifierMeta;
}

/**
 * The headline model's folder, relative to the page so the site works from any folder: written by
 * `inv export --run runs/resinv-s1 --checkpoint latest --weights average` (see docs/04-training.md).
 */
export const CLASSIFIER_MODEL_URL = './models/resinv/';

/** Loads a model folder (tfjs layers format and inv's metadata), checking the metadata's format. */
export async function loadClassifierModel(base: string = CLASSIFIER_MODEL_URL): Promise<ClassifierModel> {
  const response = await fetch(`${base}${META_FILE}`);
  if (!response.ok) throw new Error(`${base}${META_FILE}: HTTP ${response.status}`);
  const [meta, model] = await Promise.all([
    response.json() as Promise<ClassifierMeta & { format?: unknown }>,
    tf.loadLayersModel(`${base}${MODEL_FILE}`),
  ]);
  if (meta.format !== 'inv-model')
    throw new Error(`${base}${META_FILE}: format is ${JSON.stringify(meta.format)}, expected "inv-model"`);
  return { model, meta };
}
