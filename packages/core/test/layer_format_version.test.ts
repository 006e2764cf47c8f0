/**
 * The format version in inv's saved layer configs: written on save, absent in older files (which still load),
 * and a clear error when a newer @inv/core wrote it.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedBatchNormalization, initBackend, involution, LAYER_FORMAT_VERSION } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

interface SavedLayer {
  class_name: string;
  config: Record<string, unknown>;
}

/** A model with both inv layers, saved to memory: its artifacts and its layers' saved configs. */
async function saved(): Promise<{ artifacts: tf.io.ModelArtifacts; layers: SavedLayer[] }> {
  const model = tf.sequential({
    layers: [
      involution({ inputShape: [8, 8, 4], kernelSize: 3, groups: 2, seed: 1 }),
      fusedBatchNormalization({ activation: 'relu' }),
    ],
  });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const topology = artifacts!.modelTopology as { config: { layers: SavedLayer[] } };
  return { artifacts: artifacts!, layers: topology.config.layers };
}

/** The artifacts with each inv layer's `format_version` replaced (undefined: removed). */
function withVersion(artifacts: tf.io.ModelArtifacts, version: number | undefined): tf.io.ModelArtifacts {
  const topology = JSON.parse(JSON.stringify(artifacts.modelTopology)) as {
    config: { layers: SavedLayer[] };
  };
  for (const layer of topology.config.layers) {
    if (!('format_version' in layer.config)) continue;
    if (version === undefined) delete layer.config['format_version'];
    else layer.config['format_version'] = version;
  }
  return { ...artifacts, modelTopology: topology };
}

describe('layer format version', () => {
  it('is written into every inv layer config', async () => {
    const { layers } = await saved();
    for (const className of ['Involution', 'FusedBatchNormalization']) {
      const layer = layers.find((l) => l.class_name === className);
      expect(layer?.config['format_version'], className).toBe(LAYER_FORMAT_VERSION);
    }
  });

  it('loads a file saved before the field existed', async () => {
    const { artifacts } = await saved();
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(withVersion(artifacts, undefined)));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['Involution', 'FusedBatchNormalization']);
  });

  it('refuses a file from a newer format, naming both versions', async () => {
    const { artifacts } = await saved();
    const newer = LAYER_FORMAT_VERSION + 1;
    await expect(tf.loadLayersModel(tf.io.fromMemory(withVersion(artifacts, newer)))).rejects.toThrow(
      `saved in layer format ${newer} by a newer @inv/core; this one reads up to format ${LAYER_FORMAT_VERSION}`,
    );
  });
});
