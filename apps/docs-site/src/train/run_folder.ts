import * as tf from '@tensorflow/tfjs';
import type { CurveRun } from '@inv/viz/browser';
import { readRuns } from '../curves/history_file.js';

/** A run folder of `inv train` opened in the page: its curves, and its best checkpoint's model when it has one. */
export interface OpenedRun {
  readonly run: CurveRun;
  readonly notes: readonly string[];
  /** The model of `checkpoints/best.json`, or undefined (with a note) when the folder has none. */
  readonly model: tf.LayersModel | undefined;
  /** `config.json`'s model name, when readable. */
  readonly modelName: string | undefined;
}

const pathOf = (file: File): string => file.webkitRelativePath || file.name;

/** The picked file whose path ends with `suffix` (inside the run folder), if any. */
function find(files: readonly File[], suffix: string): File | undefined {
  return files.find((file) => pathOf(file) === suffix || pathOf(file).endsWith(`/${suffix}`));
}

/** A picked JSON file's object, or an error naming the file and what it should hold. */
async function readJson(file: File, expected: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await file.text()) as Record<string, unknown> | null;
  } catch (error) {
    throw new Error(`${pathOf(file)} is not JSON (expected ${expected}): ${(error as Error).message}`);
  }
}

/**
 * Reads a run folder picked whole (`<input webkitdirectory>`): `history.jsonl` for the curves, and the model
 * files of the checkpoint `checkpoints/best.json` points at. Each problem names the file and what was expected.
 */
export async function openRunFolder(files: readonly File[]): Promise<OpenedRun> {
  const history = files.filter((file) => /(^|\/)history\.jsonl$/.test(pathOf(file)));
  if (history.length !== 1)
    throw new Error(
      `the picked folder has ${history.length} history.jsonl files; pick one run folder made by inv train (it holds history.jsonl, config.json and checkpoints/)`,
    );
  const { runs, notes } = await readRuns(history);
  const run = runs[0]!;
  const config = find(files, 'config.json');
  let modelName: string | undefined;
  if (config !== undefined) {
    const parsed = await readJson(config, "the run's settings");
    if (typeof parsed?.['model'] === 'string') modelName = parsed['model'];
  }
  const manifest = find(files, 'checkpoints/best.json');
  if (manifest === undefined)
    return { run, notes: [...notes, 'no checkpoints/best.json: curves only'], model: undefined, modelName };
  const dir = (await readJson(manifest, 'a checkpoint manifest'))?.['dir'];
  if (typeof dir !== 'string' || !/^epoch-\d{4}(-step-\d{5})?$/.test(dir))
    throw new Error(`${pathOf(manifest)}: expected a checkpoint manifest naming an epoch-NNNN folder`);
  const modelJson = find(files, `checkpoints/${dir}/model.json`);
  const weights = find(files, `checkpoints/${dir}/weights.bin`);
  if (modelJson === undefined || weights === undefined)
    throw new Error(
      `${pathOf(manifest)} names checkpoints/${dir}/, which lacks ${modelJson === undefined ? 'model.json' : 'weights.bin'}`,
    );
  const model = await tf.loadLayersModel(tf.io.browserFiles([modelJson, weights]));
  return { run, notes: [...notes, `best checkpoint: ${dir}`], model, modelName };
}
