/**
 * Checkpoints: `checkpoints/epoch-NNNN[-step-NNNNN]/` (tfjs model.json + weights, the optimizer's state, the
 * training state, the run's settings) written as a whole folder at once, and `latest.json` / `best.json`
 * manifests replaced atomically, each with the SHA-256 of every file of the folder it points at. A crash at any
 * moment leaves the previous manifests valid; loading verifies the hashes and refuses NaN/Inf weights.
 */
import * as tf from '@tensorflow/tfjs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// A saved Involution layer names its generator: a plugin's must be registered before tf.loadLayersModel.
import '../generators.js';
import { optimizerState } from '../recipe/optimizer.js';
import { TEMP_MARKER, writeDirAtomic, writeFileAtomic } from './atomic.js';
import { CONFIG_FILE, checkRunConfig, readRunConfig, type RunConfig } from './config.js';
import { parseJson, readOptionalRunFile, readRunFile, sha256 } from './files.js';

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
  /** SHA-256 of history.jsonl's lines of the finished epochs ({@link historyDigest}), so edits to it show. */
  historySha256: string;
}

/** latest.json / best.json: the folder, its position, and the SHA-256 of each of its files. */
export interface CheckpointManifest {
  dir: string;
  epoch: number;
  step: number;
  sha256: Record<string, string>;
}

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const OPTIMIZER_SPECS = 'optimizer.json';
const OPTIMIZER_WEIGHTS = 'optimizer.bin';
const STATE_FILE = 'state.json';
const SETTINGS_FILE = 'run.json';
/** The moving average of the weights (runs with `ema`), in weights.bin's layout; absent otherwise. */
const AVERAGE_FILE = 'average.bin';
/** The files every checkpoint has. */
export const CHECKPOINT_FILES = [
  MODEL_FILE,
  WEIGHTS_FILE,
  OPTIMIZER_SPECS,
  OPTIMIZER_WEIGHTS,
  STATE_FILE,
  SETTINGS_FILE,
] as const;
export const CHECKPOINT_NAMES: readonly CheckpointName[] = ['latest', 'best'];

const checkpointsDir = (runDir: string) => join(runDir, 'checkpoints');
export const manifestPath = (runDir: string, name: CheckpointName) =>
  join(checkpointsDir(runDir), `${name}.json`);

function toBytes(buffer: ArrayBuffer): Uint8Array {
  return new Uint8Array(buffer);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * A model in tfjs layers format, by file name: `model.json` (topology and a manifest naming `weights.bin`) and
 * `weights.bin`, as `tf.loadLayersModel` reads them.
 */
export async function layersModelFiles(model: tf.LayersModel): Promise<Record<string, Uint8Array>> {
  let files: Record<string, Uint8Array> | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, ...json } = artifacts;
      files = {
        [MODEL_FILE]: new TextEncoder().encode(
          JSON.stringify({
            ...json,
            weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs }],
          }),
        ),
        [WEIGHTS_FILE]: toBytes(tf.io.concatenateArrayBuffers(weightData as ArrayBuffer | ArrayBuffer[])),
      };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files!;
}

/**
 * Sets `checkpoint.model` to the weights `weights` names: the raw ones it holds, or their moving average
 * (an error naming the run when it was trained without `--ema`).
 */
export function useWeights(checkpoint: LoadedCheckpoint, weights: 'raw' | 'average', runDir: string): void {
  if (weights === 'raw') return;
  if (checkpoint.average === undefined)
    throw new Error(
      `--weights average: ${runDir} keeps no moving average of its weights (it was trained without --ema)`,
    );
  checkpoint.model.setWeights(checkpoint.average);
}

/**
 * The files of a checkpoint, by name: the model (topology + weights), optimizer, state and settings, and the
 * weights' moving average when the run keeps one.
 */
async function checkpointFiles(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: TrainingState,
  config: RunConfig,
  average: tf.LayersModel | undefined,
): Promise<Record<string, Uint8Array>> {
  const { data, specs } = await tf.io.encodeWeights(await optimizerState(optimizer));
  const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  return {
    ...(await layersModelFiles(model)),
    [OPTIMIZER_SPECS]: text(specs),
    [OPTIMIZER_WEIGHTS]: toBytes(data),
    [STATE_FILE]: text(state),
    [SETTINGS_FILE]: text(config),
    ...(average && {
      [AVERAGE_FILE]: toBytes(
        (await tf.io.encodeWeights(average.weights.map((w, i) => ({ name: String(i), tensor: w.read() }))))
          .data,
      ),
    }),
  };
}

/** `epoch-0003`, or `epoch-0003-step-00012` for a checkpoint taken mid-epoch (Ctrl-C), never the same folder. */
function checkpointDirName(state: TrainingState): string {
  const epoch = `epoch-${String(state.epoch).padStart(4, '0')}`;
  return state.step === 0 ? epoch : `${epoch}-step-${String(state.step).padStart(5, '0')}`;
}

/** Saves a checkpoint and points `names` at it; prunes the folders (and crash leftovers) nothing points at. */
export async function saveCheckpoint(
  runDir: string,
  names: CheckpointName[],
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: TrainingState,
  config: RunConfig,
  average?: tf.LayersModel,
): Promise<void> {
  const root = checkpointsDir(runDir);
  const dirName = checkpointDirName(state);
  const files = await checkpointFiles(model, optimizer, state, config, average);
  // No manifest points at this folder yet (a same-named one is a crash's leftover): safe to replace.
  await rm(join(root, dirName), { recursive: true, force: true });
  await writeDirAtomic(join(root, dirName), async (temp) => {
    for (const [file, bytes] of Object.entries(files)) await writeFile(join(temp, file), bytes);
  });
  const manifest: CheckpointManifest = {
    dir: dirName,
    epoch: state.epoch,
    step: state.step,
    sha256: Object.fromEntries(Object.entries(files).map(([file, bytes]) => [file, sha256(bytes)])),
  };
  for (const name of names) await writeFileAtomic(manifestPath(runDir, name), JSON.stringify(manifest));
  const keep = new Set<string>();
  for (const name of CHECKPOINT_NAMES) {
    const pointed = await readManifest(runDir, name);
    if (pointed) keep.add(pointed.dir);
  }
  for (const entry of await readdir(root)) {
    if ((entry.startsWith('epoch-') && !keep.has(entry)) || entry.includes(TEMP_MARKER))
      await rm(join(root, entry), { recursive: true, force: true });
  }
}

/** Reads and checks manifest `name`, or null when the run has none yet. */
export async function readManifest(runDir: string, name: CheckpointName): Promise<CheckpointManifest | null> {
  const path = manifestPath(runDir, name);
  const expected = 'a checkpoint manifest {dir, epoch, step, sha256}';
  const bytes = await readOptionalRunFile(path, expected);
  if (bytes === null) return null;
  const value = parseJson(bytes.toString('utf8'), path, expected) as Partial<CheckpointManifest>;
  const hashes = value?.sha256;
  if (
    typeof value?.dir !== 'string' ||
    !/^epoch-\d{4}(-step-\d{5})?$/.test(value.dir) ||
    !Number.isInteger(value.epoch) ||
    !Number.isInteger(value.step) ||
    typeof hashes !== 'object' ||
    hashes === null ||
    !CHECKPOINT_FILES.every((file) => /^[0-9a-f]{64}$/.test(String(hashes[file])))
  ) {
    throw new Error(
      `${path}: expected ${expected} naming an epoch-NNNN folder and the SHA-256 of its ${CHECKPOINT_FILES.join(', ')} (checkpoints from before manifests carried hashes cannot be verified)`,
    );
  }
  return value as CheckpointManifest;
}

export interface LoadedCheckpoint {
  model: tf.LayersModel;
  optimizerWeights: { name: string; tensor: tf.Tensor }[];
  state: TrainingState;
  /** The run's settings when the checkpoint was written. */
  config: RunConfig;
  manifest: CheckpointManifest;
  /** The moving average of the weights, in `model.getWeights()` order (runs with `ema`). */
  average: tf.Tensor[] | undefined;
}

/**
 * Loads checkpoint `name` of a run, checked against its config.json; an error that says so when no epoch has
 * finished yet.
 */
export async function requireCheckpoint(runDir: string, name: CheckpointName): Promise<LoadedCheckpoint> {
  const config = await readRunConfig(runDir);
  const checkpoint = await loadCheckpoint(runDir, name);
  if (checkpoint === null)
    throw new Error(
      `--run ${runDir} has no '${name}' checkpoint yet (no epoch finished; no ${manifestPath(runDir, name)})`,
    );
  try {
    checkSameRun(config, join(runDir, CONFIG_FILE), checkpoint);
  } catch (error) {
    checkpoint.model.dispose();
    throw error;
  }
  return checkpoint;
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

/** Decodes `bytes` by `specs`, naming `path` when its size or its values (NaN, ±Inf) are not what they must be. */
function decodeFinite(
  bytes: Uint8Array,
  specs: tf.io.WeightsManifestEntry[],
  path: string,
): tf.NamedTensorMap {
  const size = specs.reduce(
    (sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_ELEMENT[s.dtype] ?? NaN),
    0,
  );
  if (size !== bytes.byteLength)
    throw new Error(
      `${path} has ${bytes.byteLength} bytes; its manifest (${specs.length} tensors) expects ${size}`,
    );
  const decoded = tf.io.decodeWeights(toArrayBuffer(bytes), specs);
  for (const spec of specs) {
    const values = decoded[spec.name]!.dataSync();
    const at = values.findIndex((v) => !Number.isFinite(v));
    if (at >= 0) {
      tf.dispose(Object.values(decoded));
      throw new Error(
        `${path}: '${spec.name}'[${at}] is ${values[at]}; a checkpoint holds only finite weights`,
      );
    }
  }
  return decoded;
}

/** The files of the manifest's folder, each checked against its SHA-256. */
async function readVerifiedFiles(
  runDir: string,
  manifest: CheckpointManifest,
  from: string,
): Promise<Record<string, Buffer>> {
  const dir = join(checkpointsDir(runDir), manifest.dir);
  const files: Record<string, Buffer> = {};
  const average = AVERAGE_FILE in manifest.sha256 ? [AVERAGE_FILE] : [];
  for (const file of [...CHECKPOINT_FILES, ...average]) {
    const path = join(dir, file);
    const bytes = await readRunFile(path, `the file ${from} records`);
    const actual = sha256(bytes);
    if (actual !== manifest.sha256[file])
      throw new Error(
        `${path} is damaged or was changed: its SHA-256 is ${actual}, ${from} records ${manifest.sha256[file]}`,
      );
    files[file] = bytes;
  }
  return files;
}

function parseFile<T>(files: Record<string, Buffer>, dir: string, file: string, expected: string): T {
  return parseJson(files[file]!.toString('utf8'), join(dir, file), expected) as T;
}

/** Frees a loaded checkpoint's model and weight average. */
export function disposeCheckpoint(checkpoint: LoadedCheckpoint): void {
  checkpoint.model.dispose();
  tf.dispose(checkpoint.average ?? []);
}

/** Loads checkpoint `name` of a run, or null when the run has none yet. */
export async function loadCheckpoint(runDir: string, name: CheckpointName): Promise<LoadedCheckpoint | null> {
  const manifest = await readManifest(runDir, name);
  if (manifest === null) return null;
  const dir = join(checkpointsDir(runDir), manifest.dir);
  const files = await readVerifiedFiles(runDir, manifest, manifestPath(runDir, name));
  const modelJson = parseFile<tf.io.ModelJSON>(files, dir, MODEL_FILE, 'a tfjs model');
  const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const weights = decodeFinite(files[WEIGHTS_FILE]!, weightSpecs, join(dir, WEIGHTS_FILE));
  tf.dispose(Object.values(weights));
  const model = await tf
    .loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs,
        weightData: toArrayBuffer(files[WEIGHTS_FILE]!),
      }),
    )
    .catch((error: unknown) => {
      throw new Error(
        `${join(dir, MODEL_FILE)}: cannot build the model from it: ${(error as Error).message}`,
      );
    });
  const specs = parseFile<tf.io.WeightsManifestEntry[]>(
    files,
    dir,
    OPTIMIZER_SPECS,
    'optimizer weight specs',
  );
  const decoded = decodeFinite(files[OPTIMIZER_WEIGHTS]!, specs, join(dir, OPTIMIZER_WEIGHTS));
  const optimizerWeights = specs.map((spec) => ({ name: spec.name, tensor: decoded[spec.name]! }));
  const state = parseFile<TrainingState>(files, dir, STATE_FILE, 'the training state');
  if (
    state.epoch !== manifest.epoch ||
    state.step !== manifest.step ||
    checkpointDirName(state) !== manifest.dir
  )
    throw new Error(
      `${manifestPath(runDir, name)} says ${manifest.dir} (epoch ${manifest.epoch}, step ${manifest.step}); its ${STATE_FILE} is of epoch ${state.epoch}, step ${state.step}`,
    );
  const config = checkRunConfig(
    parseFile(files, dir, SETTINGS_FILE, 'the run settings'),
    join(dir, SETTINGS_FILE),
  );
  if (config.ema > 0 !== (files[AVERAGE_FILE] !== undefined))
    throw new Error(
      `${join(dir, AVERAGE_FILE)}: ${config.ema > 0 ? 'missing' : 'present'}, but the run's ema is ${config.ema} (${join(dir, SETTINGS_FILE)})`,
    );
  const average =
    files[AVERAGE_FILE] === undefined
      ? undefined
      : ((decoded) => weightSpecs.map((spec) => decoded[spec.name]!))(
          decodeFinite(files[AVERAGE_FILE], weightSpecs, join(dir, AVERAGE_FILE)),
        );
  return { model, optimizerWeights, state, config, manifest, average };
}

/**
 * Points best.json at the latest checkpoint when a crash came between writing latest.json and best.json: the
 * latest then knows a better accuracy than best.json's. (Every improvement writes both, so the lost one is the
 * latest's.) Returns whether it did.
 */
export async function repairBest(runDir: string, latest: LoadedCheckpoint): Promise<boolean> {
  if (latest.state.bestValAccuracy < 0) return false;
  const best = await loadCheckpoint(runDir, 'best');
  best?.model.dispose();
  if (best !== null && best.state.bestValAccuracy >= latest.state.bestValAccuracy) return false;
  await writeFileAtomic(manifestPath(runDir, 'best'), JSON.stringify(latest.manifest));
  return true;
}

/**
 * Fails unless config.json (at `configPath`) is the run the checkpoint was written by: the same settings, but
 * where the data lives now, and an epoch count that may have grown (`--resume --epochs N`).
 */
export function checkSameRun(config: RunConfig, configPath: string, checkpoint: LoadedCheckpoint): void {
  const saved = checkpoint.config;
  for (const key of Object.keys({ ...saved, ...config }) as (keyof RunConfig)[]) {
    if (key === 'dataDir' || key === 'epochs') continue;
    if (JSON.stringify(config[key]) !== JSON.stringify(saved[key]))
      throw new Error(
        `${configPath}: '${key}' is ${JSON.stringify(config[key])}, but checkpoint ${checkpoint.manifest.dir} was written with ${JSON.stringify(saved[key])}; config.json was changed or damaged`,
      );
  }
  if (config.epochs < Math.max(saved.epochs, checkpoint.state.epoch))
    throw new Error(
      `${configPath}: 'epochs' is ${config.epochs}, but checkpoint ${checkpoint.manifest.dir} is of a ${saved.epochs}-epoch run at epoch ${checkpoint.state.epoch}; config.json was changed or damaged`,
    );
}
