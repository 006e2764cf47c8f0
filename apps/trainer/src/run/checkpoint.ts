/**
 * Checkpoints: `checkpoints/epoch-NNNN/` (tfjs model.json + weights, the optimizer's state, the training
 * state) written as a whole directory at once, and `latest.json` / `best.json` pointers replaced atomically.
 * A crash at any moment leaves the previous pointers valid.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// A saved Involution layer names its generator: a plugin's must be registered before tf.loadLayersModel.
import '../generators.js';
import { optimizerState } from '../train/optimizer.js';
import { writeDirAtomic, writeFileAtomic } from './atomic.js';

export type CheckpointName = 'latest' | 'best';

/** What a run needs besides the weights to continue exactly where it stopped. */
export interface TrainingState {
  /** Epochs finished. */
  epoch: number;
  /** Batches of the next epoch already trained on (0 at an epoch boundary; more after Ctrl-C). */
  step: number;
  /** Loss/accuracy sums of those batches, so the epoch's figures come out as if never interrupted. */
  partial: { lossSum: number; correct: number; count: number };
  partialSeconds: number;
  /** Best test accuracy so far (-1 before the first epoch). */
  bestValAccuracy: number;
}

interface Pointer {
  dir: string;
  epoch: number;
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const OPTIMIZER_SPECS = 'optimizer.json';
const OPTIMIZER_WEIGHTS = 'optimizer.bin';
const STATE_FILE = 'state.json';

function toBytes(buffer: ArrayBuffer): Uint8Array {
  return new Uint8Array(buffer);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function writeModel(dir: string, model: tf.LayersModel): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, ...json } = artifacts;
      await writeFile(
        join(dir, MODEL_FILE),
        JSON.stringify({
          ...json,
          weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
        }),
      );
      await writeFile(
        join(dir, WEIGHTS_FILE),
        toBytes(tf.io.concatenateArrayBuffers(weightData as ArrayBuffer | ArrayBuffer[])),
      );
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

async function writeOptimizer(dir: string, optimizer: tf.Optimizer): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(await optimizerState(optimizer));
  await writeFile(join(dir, OPTIMIZER_SPECS), JSON.stringify(specs));
  await writeFile(join(dir, OPTIMIZER_WEIGHTS), toBytes(data));
}

/** Saves a checkpoint of the finished epoch and points `names` at it; prunes checkpoints nothing points at. */
export async function saveCheckpoint(
  runDir: string,
  names: CheckpointName[],
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: TrainingState,
): Promise<void> {
  const root = join(runDir, 'checkpoints');
  const dirName = `epoch-${String(state.epoch).padStart(4, '0')}`;
  const dir = join(root, dirName);
  await rm(dir, { recursive: true, force: true });
  await writeDirAtomic(dir, async (temp) => {
    await writeModel(temp, model);
    await writeOptimizer(temp, optimizer);
    await writeFile(join(temp, STATE_FILE), JSON.stringify(state));
  });
  for (const name of names) {
    await writeFileAtomic(
      join(root, `${name}.json`),
      JSON.stringify({ dir: dirName, epoch: state.epoch } satisfies Pointer),
    );
  }
  const keep = new Set<string>();
  for (const name of ['latest', 'best'] as const) {
    const pointer = await readPointer(runDir, name);
    if (pointer) keep.add(pointer.dir);
  }
  for (const entry of await readdir(root)) {
    if (entry.startsWith('epoch-') && !keep.has(entry))
      await rm(join(root, entry), { recursive: true, force: true });
  }
}

async function readPointer(runDir: string, name: CheckpointName): Promise<Pointer | null> {
  try {
    return JSON.parse(await readFile(join(runDir, 'checkpoints', `${name}.json`), 'utf8')) as Pointer;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export interface LoadedCheckpoint {
  model: tf.LayersModel;
  optimizerWeights: { name: string; tensor: tf.Tensor }[];
  state: TrainingState;
}

/** Loads checkpoint `name` of a run; an error that says so when no epoch has finished yet. */
export async function requireCheckpoint(runDir: string, name: CheckpointName): Promise<LoadedCheckpoint> {
  const checkpoint = await loadCheckpoint(runDir, name);
  if (checkpoint === null)
    throw new Error(`--run ${runDir} has no '${name}' checkpoint yet (no epoch finished)`);
  return checkpoint;
}

/** Loads checkpoint `name` of a run, or null when the run has none yet. */
export async function loadCheckpoint(runDir: string, name: CheckpointName): Promise<LoadedCheckpoint | null> {
  const pointer = await readPointer(runDir, name);
  if (pointer === null) return null;
  const dir = join(runDir, 'checkpoints', pointer.dir);
  const modelJson = JSON.parse(await readFile(join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
  const weights = await readFile(join(dir, WEIGHTS_FILE));
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
      weightData: toArrayBuffer(weights),
    }),
  );
  const specs = JSON.parse(
    await readFile(join(dir, OPTIMIZER_SPECS), 'utf8'),
  ) as tf.io.WeightsManifestEntry[];
  const decoded = tf.io.decodeWeights(toArrayBuffer(await readFile(join(dir, OPTIMIZER_WEIGHTS))), specs);
  const optimizerWeights = specs.map((spec) => ({ name: spec.name, tensor: decoded[spec.name]! }));
  const state = JSON.parse(await readFile(join(dir, STATE_FILE), 'utf8')) as TrainingState;
  return { model, optimizerWeights, state };
}
