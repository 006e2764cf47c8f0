import * as tf from '@tensorflow/tfjs';

/** The file of inv's metadata beside `model.json` and `weights.bin`; `inv evaluate --model-dir` reads it. */
export const META_FILE = 'inv-model.json';
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** What `inv-model.json` holds: enough to evaluate the model as it was trained, and to say where it came from. */
export interface InvModelMeta {
  readonly format: 'inv-model';
  readonly version: 1;
  /** The `@inv/models` name and kernel generator it was built with. */
  readonly model: string;
  readonly generator: string | undefined;
  readonly classNames: readonly string[];
  /** Inputs `[B, 32, 32, 3]` scaled to [0, 1] (÷255), as `inv train` feeds them. */
  readonly normalization: 'scale';
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  readonly trainImages: number;
  readonly testImages: number;
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly backend: string;
  readonly source: string;
}

/** The model in tfjs layers format (`model.json` naming `weights.bin`) and inv's metadata, as named files. */
export async function modelFiles(model: tf.LayersModel, meta: InvModelMeta): Promise<File[]> {
  let files: File[] = [];
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const { weightData, weightSpecs, ...rest } = artifacts;
      const json = { ...rest, weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightSpecs }] };
      const weights = tf.io.concatenateArrayBuffers(weightData as ArrayBuffer | ArrayBuffer[]);
      files = [
        new File([JSON.stringify(json)], MODEL_FILE, { type: 'application/json' }),
        new File([weights], WEIGHTS_FILE, { type: 'application/octet-stream' }),
        new File([JSON.stringify(meta, null, 2)], META_FILE, { type: 'application/json' }),
      ];
      return Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) });
    }),
  );
  return files;
}

/** Offers `files` as downloads, one after another (the browser may ask once to allow several). */
export async function downloadFiles(files: readonly File[]): Promise<void> {
  for (const file of files) {
    const url = URL.createObjectURL(file);
    const link = document.createElement('a');
    link.href = url;
    link.download = file.name;
    document.body.append(link);
    link.click();
    link.remove();
    // Some browsers read the object URL after the click returns.
    await new Promise((resolve) => setTimeout(resolve, 100));
    URL.revokeObjectURL(url);
  }
}
