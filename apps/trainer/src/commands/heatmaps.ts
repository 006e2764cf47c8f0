import * as tf from '@tensorflow/tfjs';
import { describeSelection, initBackend } from '@inv/core';
import { IMAGE_SIZE, loadCifar10 } from '@inv/data';
import { heatmapColumns, heatmapGrid, kernelSource, rgbImage, type KernelSource, type Scene } from '@inv/viz';
import { resolve } from 'node:path';
import type { HeatmapsArgs } from '../args.js';
import { requireCheckpoint, disposeCheckpoint } from '../run/checkpoint.js';
import { readRunConfig } from '../run/config.js';
import { checkFigurePath, writeFigure } from './figure_file.js';

/** What the figure shows: everything of {@link HeatmapsArgs} but where it goes and which backend runs it. */
export type HeatmapFigureOptions = Pick<
  HeatmapsArgs,
  'images' | 'reduce' | 'colormap' | 'normalize' | 'overlay' | 'dataDir'
>;

/**
 * The seed's kernel figure for a run's best checkpoint: the first `images` CIFAR-10 test images, each with the
 * kernel heatmap of every Involution layer (input scaled to [0, 1] as in training).
 */
export async function heatmapFigure(run: string, options: HeatmapFigureOptions): Promise<Scene> {
  const runDir = resolve(run);
  const config = await readRunConfig(run);
  const checkpoint = await requireCheckpoint(runDir, 'best');
  let source: KernelSource | undefined;
  try {
    // Models whose Involution layers do not output their kernels (all but seed-inv) get a twin that does.
    source = await kernelSource(checkpoint.model);
    if (source === undefined) {
      throw new Error(`--run ${runDir} (${config.model}) has no kernels to show: it has no Involution layer`);
    }
    source.sync();
    const kernels = source.kernels;
    const test = await loadCifar10({
      dir: options.dataDir ?? config.dataDir,
      split: 'test',
      limit: options.images,
    });
    const pixels = IMAGE_SIZE * IMAGE_SIZE * 3;
    const xs = tf.tensor4d(
      Float32Array.from(test.images, (v) => v / 255),
      [test.size, IMAGE_SIZE, IMAGE_SIZE, 3],
    );
    const columns = await heatmapColumns(kernels, xs, options.reduce, options.normalize);
    xs.dispose();
    const inputs = Array.from({ length: test.size }, (_, i) =>
      rgbImage(test.images.subarray(i * pixels, (i + 1) * pixels), IMAGE_SIZE, IMAGE_SIZE),
    );
    const rowLabels = Array.from(test.labels, (label) => test.classNames[label] ?? String(label));
    return heatmapGrid(inputs, columns, {
      colormap: options.colormap,
      rowLabels,
      ...(options.overlay ? { overlay: 0.5 } : {}),
    });
  } finally {
    source?.dispose();
    disposeCheckpoint(checkpoint);
  }
}

/** `inv heatmaps`: the kernel heatmap figure of a run's best checkpoint, as PNG, SVG or PDF. */
export async function heatmapsCommand(args: HeatmapsArgs, log: (line: string) => void): Promise<void> {
  checkFigurePath(args.out);
  log(describeSelection(await initBackend(args.backend)));
  await writeFigure(args.out, await heatmapFigure(args.run, args), args.scale);
  log(`wrote ${resolve(args.out)}`);
}
