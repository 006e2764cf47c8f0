/**
 * A model saved with this package's generator loads again where the package is imported (identical outputs),
 * and in a process that imports only @inv/core fails with an error naming the generator and this package.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, involution } from '@inv/core';
import { PACKAGE_NAME, SOFTMAX_GENERATOR } from '../src/index.js';

/** Loads the model JSON at argv[1] (artifacts, weights base64) with only @inv/core imported. */
const LOAD_WITHOUT_PLUGIN = `
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@inv/core';
await initBackend('cpu');
const saved = JSON.parse(readFileSync(process.argv[1], 'utf8'));
const weightData = new Uint8Array(Buffer.from(saved.weightData, 'base64')).buffer;
await tf.loadLayersModel(tf.io.fromMemory({ ...saved, weightData }));
`;

let dir: string;

beforeAll(async () => {
  await initBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'inv-attention-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function saveArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return artifacts!;
}

describe('a model saved with the softmax generator', () => {
  const input = tf.input({ shape: [8, 8, 4] });
  const layer = involution({
    kernelSize: 3,
    groups: 2,
    reductionRatio: 2,
    generator: SOFTMAX_GENERATOR,
    seed: 7,
  });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  let artifacts: tf.io.ModelArtifacts;

  beforeAll(async () => {
    artifacts = await saveArtifacts(model);
  });

  it('records this package and loads again with identical outputs where it is imported', async () => {
    expect(JSON.stringify(artifacts.modelTopology)).toContain(PACKAGE_NAME);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = tf.randomNormal([2, 8, 8, 4]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
  });

  it('fails to load in a process without this package, naming the generator and the package', async () => {
    const file = join(dir, 'model.json');
    const weightData = Buffer.from(artifacts.weightData as ArrayBuffer).toString('base64');
    await writeFile(file, JSON.stringify({ ...artifacts, weightData }));
    // Run from this package so that @inv/core and tfjs resolve as they do for its users.
    const run = promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', LOAD_WITHOUT_PLUGIN, file],
      { cwd: join(import.meta.dirname, '..') },
    );
    await expect(run).rejects.toMatchObject({
      stderr: expect.stringContaining(
        `kernel generator 'softmax' is not registered: it is provided by ${PACKAGE_NAME}; import that package before loading (registered: 'reduce-expand', 'linear', 'context', 'global')`,
      ),
    });
  });
});
