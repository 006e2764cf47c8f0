/**
 * `inv evaluate --model-dir DIR`: a model folder in tfjs layers format (`model.json` and the weight files it
 * names) with inv's metadata (`inv-model.json`), as the docs site's Train page downloads it, evaluated on the
 * CIFAR-10 test split with each image's predicted class.
 */
import * as tf from '@tensorflow/tfjs';
import { batchIterator, NUM_CLASSES, type Cifar10Dataset } from '@inv/data';
import { describeSelection, initBackend } from '@inv/core';
import { join, resolve } from 'node:path';
// A saved Involution layer names its generator: a plugin's must be registered before tf.loadLayersModel.
import '../generators.js';
import type { EvaluateModelDirArgs } from '../args.js';
import { writeJson } from '../run/run_dir.js';
import { parseJson, readRunFile } from '../run/files.js';
import { loadTestData } from '../train/data.js';
import { evaluate } from '../train/totals.js';

/** The metadata file beside `model.json`. */
export const MODEL_DIR_META = 'inv-model.json';
const MODEL_JSON = 'model.json';
const BATCH_SIZE = 250;

/** What `inv-model.json` must hold (more fields, such as how the model was trained, are kept as they are). */
export interface ModelDirMeta {
  format: 'inv-model';
  version: 1;
  /** The `@inv/models` name it was built as, and its kernel generator (undefined: the model's own). */
  model: string;
  generator?: string | undefined;
  classNames: string[];
  /** Inputs ÷255, as `inv train` feeds them. */
  normalization: 'scale';
  testAccuracy?: number;
  testImages?: number;
  source?: string;
}

export interface EvaluateModelDirResult {
  modelDir: string;
  model: string;
  generator: string | undefined;
  tta: boolean;
  images: number;
  loss: number;
  accuracy: number;
  /** The predicted class of each test image, in file order. */
  predictions: number[];
}

const FLAG = '--model-dir';
const bytesPerValue: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

function checkMeta(value: unknown, path: string): ModelDirMeta {
  const meta = value as Partial<ModelDirMeta> | null;
  const expected = `inv's model metadata {format: "inv-model", version: 1, model, classNames (${NUM_CLASSES}), normalization: "scale"}`;
  const wrong =
    typeof meta !== 'object' || meta === null
      ? 'it is not an object'
      : meta.format !== 'inv-model'
        ? `format is ${JSON.stringify(meta.format)}`
        : meta.version !== 1
          ? `version is ${JSON.stringify(meta.version)} (this inv reads version 1)`
          : typeof meta.model !== 'string'
            ? 'model is not a name'
            : !Array.isArray(meta.classNames) ||
                meta.classNames.length !== NUM_CLASSES ||
                !meta.classNames.every((name) => typeof name === 'string')
              ? `classNames is not a list of ${NUM_CLASSES} names`
              : meta.normalization !== 'scale'
                ? `normalization is ${JSON.stringify(meta.normalization)}, not "scale"`
                : undefined;
  if (wrong !== undefined) throw new Error(`${FLAG}: ${path}: ${wrong}; expected ${expected}`);
  return meta as ModelDirMeta;
}

/**
 * Loads a model folder: `inv-model.json`, `model.json` and the weight files it names, each checked (the
 * weights' total size against the specs) with an error naming the flag, the file and what was expected.
 */
export async function loadModelDir(dir: string): Promise<{ model: tf.LayersModel; meta: ModelDirMeta }> {
  const metaPath = join(dir, MODEL_DIR_META);
  const metaText = (
    await readRunFile(metaPath, "inv's model metadata", {
      missing: `${FLAG} ${dir}: no ${MODEL_DIR_META}; expected a model folder as the Train page downloads it (model.json, weights.bin, ${MODEL_DIR_META})`,
    })
  ).toString('utf8');
  const meta = checkMeta(parseJson(metaText, metaPath, "inv's model metadata"), metaPath);
  const jsonPath = join(dir, MODEL_JSON);
  const expectedJson = 'a tfjs layers model {modelTopology, weightsManifest}';
  const json = parseJson(
    (await readRunFile(jsonPath, expectedJson, { missing: `${FLAG} ${dir}: no ${MODEL_JSON}` })).toString(
      'utf8',
    ),
    jsonPath,
    expectedJson,
  ) as Partial<tf.io.ModelJSON> | null;
  if (
    typeof json !== 'object' ||
    json === null ||
    typeof json.modelTopology !== 'object' ||
    !Array.isArray(json.weightsManifest)
  )
    throw new Error(`${FLAG}: ${jsonPath} is not ${expectedJson}`);
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const parts: Buffer[] = [];
  for (const file of json.weightsManifest.flatMap((group) => group.paths))
    parts.push(await readRunFile(join(dir, file), `the weights ${MODEL_JSON} names`));
  const weights = Buffer.concat(parts);
  const expectedBytes = specs.reduce(
    (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * (bytesPerValue[spec.dtype] ?? NaN),
    0,
  );
  if (weights.length !== expectedBytes)
    throw new Error(
      `${FLAG}: the weight files of ${jsonPath} hold ${weights.length.toLocaleString('en-US')} bytes; its ${specs.length} weight specs need ${expectedBytes.toLocaleString('en-US')}`,
    );
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: specs,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const [, classes] = model.outputs[0]!.shape;
  if (classes !== NUM_CLASSES)
    throw new Error(`${FLAG}: ${jsonPath} outputs ${classes} classes; expected a CIFAR-10 classifier (10)`);
  return { model, meta };
}

/** The predicted class of every image of `data` (with `tta`, of the mean of its and its mirror's logits). */
async function predictClasses(model: tf.LayersModel, data: Cifar10Dataset, tta: boolean): Promise<number[]> {
  const predictions: number[] = [];
  for await (const { xs, ys } of batchIterator(data, { batchSize: BATCH_SIZE, shuffle: false })) {
    const classes = tf.tidy(() => {
      const predict = (x: tf.Tensor) => model.apply(x, { training: false }) as tf.Tensor2D;
      const logits = tta ? tf.div(tf.add(predict(xs), predict(tf.reverse(xs, 2))), 2) : predict(xs);
      return tf.argMax(logits, 1);
    });
    predictions.push(...(await classes.data()));
    tf.dispose([xs, ys, classes]);
  }
  return predictions;
}

/** `inv evaluate --model-dir DIR`: test loss, accuracy and predictions of a model folder; with `--out`, as JSON. */
export async function evaluateModelDirCommand(
  args: EvaluateModelDirArgs,
  log: (line: string) => void,
): Promise<EvaluateModelDirResult> {
  const dir = resolve(args.modelDir);
  log(describeSelection(await initBackend(args.backend)));
  const { model, meta } = await loadModelDir(dir);
  try {
    const test = await loadTestData(
      {
        dir: args.dataDir === undefined ? undefined : resolve(args.dataDir),
        origin: '--data-dir',
        recorded: undefined,
      },
      args.limit,
    );
    const { loss, accuracy } = await evaluate(model, test, BATCH_SIZE, args.tta);
    const result: EvaluateModelDirResult = {
      modelDir: dir,
      model: meta.model,
      generator: meta.generator,
      tta: args.tta,
      images: test.size,
      loss,
      accuracy,
      predictions: await predictClasses(model, test, args.tta),
    };
    const recorded =
      meta.testAccuracy === undefined
        ? ''
        : ` (its metadata records ${(meta.testAccuracy * 100).toFixed(2)}% on ${meta.testImages ?? '?'} test images)`;
    log(
      `${meta.model}${meta.generator === undefined ? '' : ` with ${meta.generator} kernels`} from ${dir}${args.tta ? ', mirror-averaged' : ''}: test loss ${loss.toFixed(4)}, test accuracy ${(accuracy * 100).toFixed(2)}% on ${test.size} images${recorded}`,
    );
    if (args.out !== undefined) {
      await writeJson(resolve(args.out), result);
      log(`wrote ${resolve(args.out)}`);
    }
    return result;
  } finally {
    model.dispose();
  }
}
