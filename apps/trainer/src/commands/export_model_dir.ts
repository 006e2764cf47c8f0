/**
 * `inv export`: a run's checkpoint (raw weights or their moving average) as a model folder, the format the docs
 * site's Train page downloads and `inv evaluate --model-dir` reads: `model.json` + `weights.bin` in tfjs layers
 * format, with `inv-model.json` saying what the model is and how it scored. The docs site's classifier
 * demo loads such a folder.
 */
import { access, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CLASS_NAMES, RECORDS_PER_FILE } from '@inv/data';
import { initBackend } from '@inv/core';
import type { ExportArgs } from '../args.js';
import { writeDirAtomic } from '../run/atomic.js';
import { disposeCheckpoint, layersModelFiles, requireCheckpoint, useWeights } from '../run/checkpoint.js';
import { describeModel, readRunConfig } from '../run/config.js';
import { runSplits } from '../run/data_files.js';
import { readHistory } from '../run/run_dir.js';
import { MODEL_DIR_META, type ModelDirMeta } from './evaluate_model_dir.js';

/** What `inv export` writes into `inv-model.json`: the reader's fields, and how the model was trained. */
export interface ExportedModelMeta extends ModelDirMeta {
  /** Epochs the checkpoint had finished. */
  epochs: number;
  batchSize: number;
  lr: number;
  trainImages: number;
  testLoss?: number;
}

const TRAIN_IMAGES = 5 * RECORDS_PER_FILE;

/** Writes the model folder `args.out` (which must not exist yet) from a run's checkpoint; returns its metadata. */
export async function exportModelDirCommand(
  args: ExportArgs,
  log: (line: string) => void,
): Promise<ExportedModelMeta> {
  const runDir = resolve(args.run);
  const out = resolve(args.out);
  const config = await readRunConfig(runDir);
  if (
    await access(out).then(
      () => true,
      () => false,
    )
  )
    throw new Error(
      `--out ${out}: already exists; inv export writes a new folder (remove it or name another)`,
    );
  // Only to build the model from its checkpoint: nothing runs.
  await initBackend('cpu');
  const checkpoint = await requireCheckpoint(runDir, args.checkpoint);
  try {
    useWeights(checkpoint, args.weights, runDir);
    const { epoch, step } = checkpoint.state;
    // The test scores of the checkpoint's epoch, for the weights exported (none for a mid-epoch checkpoint).
    const record = step === 0 ? (await readHistory(runDir, epoch)).find((r) => r.epoch === epoch) : undefined;
    const average = args.weights === 'average';
    const accuracy = average ? record?.average_val_accuracy : record?.val_accuracy;
    const loss = average ? record?.average_val_loss : record?.val_loss;
    const [train, test] = runSplits(config.limit);
    const meta: ExportedModelMeta = {
      format: 'inv-model',
      version: 1,
      model: config.model,
      ...(config.generator === undefined ? {} : { generator: config.generator }),
      classNames: [...CLASS_NAMES],
      normalization: 'scale',
      epochs: epoch,
      batchSize: config.batchSize,
      lr: config.lr,
      trainImages: train!.limit ?? TRAIN_IMAGES,
      testImages: test!.limit ?? RECORDS_PER_FILE,
      ...(accuracy === undefined ? {} : { testAccuracy: accuracy }),
      ...(loss === undefined || loss === null ? {} : { testLoss: loss }),
      source: `inv export --run ${args.run} --checkpoint ${args.checkpoint} --weights ${args.weights}: ${describeModel(config)}, seed ${config.seed}, epoch ${epoch}${step === 0 ? '' : ` step ${step}`} of ${config.epochs}${average ? `, weights averaged (EMA ${config.ema})` : ''}`,
    };
    const files = await layersModelFiles(checkpoint.model);
    await writeDirAtomic(out, async (dir) => {
      for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
      await writeFile(join(dir, MODEL_DIR_META), `${JSON.stringify(meta, null, 2)}\n`);
    });
    const scored = accuracy === undefined ? '' : `, ${(accuracy * 100).toFixed(2)}% test accuracy`;
    log(`wrote ${out}: ${meta.source}${scored}`);
    return meta;
  } finally {
    disposeCheckpoint(checkpoint);
  }
}
