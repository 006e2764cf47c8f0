/**
 * The `data` suite: `@inv/data`'s CIFAR-10 pipeline on the real files: `loadCifar10` (read and decode the
 * training split) and one epoch of `batchIterator` batches (batch 256, shuffled, tensors made and freed), with
 * and without the standard augmentation; images/s. Without the data every row says where it looked.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { batchIterator, loadCifar10, type Cifar10Dataset } from '@inv/data';
import * as tf from '@tensorflow/tfjs-core';
import type { BenchCase, PreparedCase } from '../harness/types.js';
import { workspacePath } from '../workspace.js';
import type { Suite, SuiteContext } from './suite.js';

export const DATA_CASE = 'cifar10-train';
export const DATA_BATCH = 256;
/** `--quick`: the first training file only. */
export const QUICK_IMAGES = 10_000;
export const DEFAULT_DATA_DIR = '../shared/datasets/cifar10/cifar-10-batches-bin';
export const DATA_TARGET_IMAGES_PER_SECOND = 20_000;

/** `--data-dir`, else `INV_CIFAR10_DIR`, else {@link DEFAULT_DATA_DIR} relative to the workspace root. */
export function dataDirOf(context: SuiteContext, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(context.dataDir ?? (env['INV_CIFAR10_DIR'] || workspacePath(DEFAULT_DATA_DIR)));
}

type Impl = 'loadCifar10' | 'batchIterator' | 'batchIterator+augment';

/** Loads once per folder and size: the iterator cases share one untimed load. */
const loaded = new Map<string, Promise<Cifar10Dataset>>();
function load(dir: string, limit: number | undefined): Promise<Cifar10Dataset> {
  const key = `${dir}\0${limit ?? ''}`;
  if (!loaded.has(key)) loaded.set(key, loadCifar10({ dir, ...(limit === undefined ? {} : { limit }) }));
  return loaded.get(key)!;
}

async function epoch(dataset: Cifar10Dataset, augment: boolean): Promise<void> {
  for await (const { xs, ys } of batchIterator(dataset, { batchSize: DATA_BATCH, augment, seed: 1 })) {
    tf.dispose([xs, ys]);
  }
}

export async function prepareDataCase(impl: Impl, context: SuiteContext): Promise<PreparedCase> {
  const dir = dataDirOf(context);
  if (!existsSync(dir)) {
    throw new Error(`no CIFAR-10 data: ${dir} does not exist (set INV_CIFAR10_DIR or pass --data-dir)`);
  }
  const limit = context.quick ? QUICK_IMAGES : undefined;
  const dataset = await load(dir, limit);
  const run: () => Promise<tf.Tensor[]> =
    impl === 'loadCifar10'
      ? async () => {
          await loadCifar10({ dir, ...(limit === undefined ? {} : { limit }) });
          return [];
        }
      : async () => {
          await epoch(dataset, impl === 'batchIterator+augment');
          return [];
        };
  return { run, imagesPerRun: dataset.size, note: `from ${dir}`, dispose: () => undefined };
}

const IMPLS: readonly { impl: Impl; mode: 'load' | 'epoch' }[] = [
  { impl: 'loadCifar10', mode: 'load' },
  { impl: 'batchIterator', mode: 'epoch' },
  { impl: 'batchIterator+augment', mode: 'epoch' },
];

export const dataSuite: Suite = {
  name: 'data',
  description:
    '@inv/data: loadCifar10 and one epoch of batchIterator (batch 256) with and without augmentation',
  // The pipeline runs in plain JavaScript; the backend only receives the finished batches.
  defaultBackends: ['cpu'],
  cases: (context) =>
    IMPLS.map(({ impl, mode }): BenchCase => ({
      case: DATA_CASE,
      shape: `train split${context.quick ? `, first ${QUICK_IMAGES}` : ''}, batch ${DATA_BATCH}`,
      impl,
      mode,
      prepare: () => prepareDataCase(impl, context),
    })),
  comparisons: [],
  throughputTargets: IMPLS.map(({ impl }) => ({
    label: `${impl} images/s`,
    impl,
    minImagesPerSecond: DATA_TARGET_IMAGES_PER_SECOND,
  })),
};
