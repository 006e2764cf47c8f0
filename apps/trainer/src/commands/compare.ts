import { listModels } from '@inv/models';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SEED_TRAINING, type CompareArgs, type TrainArgs } from '../args.js';
import { writeFileAtomic } from '../run/atomic.js';
import { readJsonFile } from '../run/files.js';
import { train, type TrainIo, type TrainStatus } from '../train/train.js';
import { writeFigure } from './figure_file.js';
import { heatmapFigure } from './heatmaps.js';
import { curvesOfRuns } from './plot.js';

/**
 * The two models of the Keras seed's experiment and their test accuracy after 20 epochs: the figure the seed
 * is quoted with, and the one in the training log published with its code (keras-io,
 * examples/vision/md/involution.md, TF 2, 2021): two runs of the same code, 1.2 and 3.0 points apart.
 */
export const SEED_EXPERIMENT = [
  { model: 'seed-conv', kerasAccuracy: 0.73, kerasLogAccuracy: 0.7184 },
  { model: 'seed-inv', kerasAccuracy: 0.472, kerasLogAccuracy: 0.4418 },
] as const;

/** What metrics.json of a completed run holds (written by `train`). */
interface CompletedMetrics {
  backend: string;
  epochs: number;
  params: { total: number; trainable: number; nonTrainable: number };
  test_accuracy: number;
  best_test_accuracy: number;
  images_per_second: number;
}

export interface CompareOutcome {
  /** 'completed' once report.md is written; otherwise the status of the run that stopped early. */
  status: TrainStatus;
  report?: string;
}

const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const count = (n: number) => n.toLocaleString('en-US');

function reportMarkdown(
  args: CompareArgs,
  rows: { model: string; kerasAccuracy: number; kerasLogAccuracy: number; metrics: CompletedMetrics }[],
): string {
  const backend = rows[0]!.metrics.backend;
  return [
    '# Convolution vs involution on CIFAR-10',
    '',
    `The Keras seed's experiment${args.generator === undefined ? '' : `, seed-inv with the ${args.generator} kernel generator`}: each model trained ${rows[0]!.metrics.epochs} epoch${rows[0]!.metrics.epochs === 1 ? '' : 's'} with Adam (lr ${SEED_TRAINING.lr}), batch ${SEED_TRAINING.batchSize}, ` +
      `seed ${SEED_TRAINING.seed}, no augmentation, on the ${backend} backend` +
      (args.limit === undefined
        ? ', on the full training set; tested on the 10,000 test images.'
        : `, on the first ${count(args.limit)} training and test images.`),
    '',
    '| model | parameters | trainable | non-trainable | test accuracy (final) | best | Keras seed | Keras published log | images/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      ({ model, kerasAccuracy, kerasLogAccuracy, metrics: m }) =>
        `| ${model} | ${count(m.params.total)} | ${count(m.params.trainable)} | ${count(m.params.nonTrainable)} | ${percent(m.test_accuracy)} | ${percent(m.best_test_accuracy)} | ${percent(kerasAccuracy)} | ${percent(kerasLogAccuracy)} | ${Math.round(m.images_per_second)} |`,
    ),
    '',
    "Keras seed: 20 epochs on the full data set, the figure the seed is quoted with. Keras published log: the last epoch of the training log published with the seed's code (keras-io, examples/vision/md/involution.md), another run of the same code. Test accuracy is measured after every epoch (as the seed's validation data).",
    '',
    '## Training curves',
    '',
    '![loss and accuracy per epoch](curves.png)',
    '',
    '## Involution kernels',
    '',
    'Per test image, the kernel of each involution layer summed over its taps, min-max scaled per image (best checkpoint of seed-inv).',
    '',
    '![kernel heatmaps](heatmaps.png)',
    '',
  ].join('\n');
}

/**
 * `inv compare`: the seed's whole experiment. Trains seed-conv and seed-inv with the seed's settings into
 * `<out>/<model>` (with `resume`, a run already there continues and a missing one starts), then writes
 * `<out>/report.md` with parameter counts and test accuracies next to the seed's, `curves.png` and `heatmaps.png`.
 */
export async function compareCommand(args: CompareArgs, io: TrainIo): Promise<CompareOutcome> {
  const out = resolve(args.out);
  const involutionModels = new Set(
    listModels()
      .filter((m) => m.involution)
      .map((m) => m.name),
  );
  const rows = [];
  for (const { model, kerasAccuracy, kerasLogAccuracy } of SEED_EXPERIMENT) {
    const runDir = join(out, model);
    io.log(`== ${model} → ${runDir}`);
    const trainArgs: TrainArgs = {
      command: 'train',
      // Undefined settings are not given: a resumed run keeps its own (and its epochs unless --epochs is given).
      settings: {
        model,
        // The conv baseline stays the reference: only involution models take a generator.
        generator: involutionModels.has(model) ? args.generator : undefined,
        ...SEED_TRAINING,
        epochs: args.epochs,
        dataDir: args.dataDir,
        limit: args.limit,
      },
      backend: args.backend,
      out: runDir,
      resume: args.resume && existsSync(join(runDir, 'config.json')),
    };
    const outcome = await train(trainArgs, io);
    if (outcome.status !== 'completed') return { status: outcome.status };
    const metrics = (await readJsonFile(
      join(runDir, 'metrics.json'),
      'the metrics of a completed run',
    )) as CompletedMetrics;
    rows.push({ model, kerasAccuracy, kerasLogAccuracy, metrics });
  }
  const runs = SEED_EXPERIMENT.map(({ model }) => join(out, model));
  await writeFigure(join(out, 'curves.png'), await curvesOfRuns(runs));
  const inv = join(out, 'seed-inv');
  await writeFigure(
    join(out, 'heatmaps.png'),
    await heatmapFigure(inv, {
      images: 10,
      reduce: 'sum',
      colormap: 'viridis',
      normalize: 'image',
      overlay: false,
      dataDir: args.dataDir,
    }),
  );
  const report = join(out, 'report.md');
  await writeFileAtomic(report, reportMarkdown(args, rows));
  io.log(`wrote ${report}`);
  return { status: 'completed', report };
}
