import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCli, type CompareArgs, type HeatmapsArgs, type PlotArgs, type TrainArgs } from '../src/args.js';
import { compareCommand } from '../src/commands/compare.js';
import { createModel } from '@inv/models';
import { heatmapsCommand } from '../src/commands/heatmaps.js';
import { plotCommand } from '../src/commands/plot.js';
import { train, type TrainIo } from '../src/train/train.js';
import { writeLearnableCifar } from './helpers/cifar.js';
import { tinyRunFlags } from './helpers/run.js';

const io: TrainIo = {
  log: () => {},
  progressStream: { write: () => true, isTTY: false } as unknown as NodeJS.WriteStream,
  stopRequested: () => false,
};
const log = () => {};

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
async function pngSize(path: string): Promise<[number, number]> {
  const bytes = await readFile(path);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

let dataDir: string;
let root: string;
let run: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
  await writeLearnableCifar(dataDir);
  root = await mkdtemp(join(tmpdir(), 'inv-figures-'));
  run = join(root, 'tiny-inv');
  const args = parseCli([
    'train',
    '--model',
    'seed-inv',
    '--epochs',
    '2',
    '--batch-size',
    '32',
    '--limit',
    '160',
    '--lr',
    '0.01',
    '--backend',
    'wasm',
    '--data-dir',
    dataDir,
    '--out',
    run,
  ]) as TrainArgs;
  expect((await train(args, io)).status).toBe('completed');
});

describe('inv heatmaps', () => {
  it("draws the best checkpoint's kernels for N test images, plain and as an overlay", async () => {
    const out = join(root, 'heatmaps.png');
    await heatmapsCommand(
      parseCli([
        'heatmaps',
        '--run',
        run,
        '--images',
        '4',
        '--out',
        out,
        '--backend',
        'wasm',
        '--data-dir',
        dataDir,
      ]) as HeatmapsArgs,
      log,
    );
    // 4 rows of 128-px cells (+ 8 px gaps) between the title band (28 px) and the colour bar with its labels
    // (44 px).
    const [width, height] = await pngSize(out);
    expect(height).toBe(28 + 4 * 136 + 44);
    expect(width).toBeGreaterThan(4 * 128);
    const overlay = join(root, 'overlay.png');
    await heatmapsCommand(
      parseCli([
        'heatmaps',
        '--run',
        run,
        '--images',
        '2',
        '--out',
        overlay,
        '--overlay',
        '--reduce',
        'abs',
        '--colormap',
        'magma',
        '--normalize',
        'layer',
        '--backend',
        'wasm',
        '--data-dir',
        dataDir,
      ]) as HeatmapsArgs,
      log,
    );
    expect((await pngSize(overlay))[1]).toBe(28 + 2 * 136 + 44);
  });

  it('draws a model whose Involution layers do not output their kernels (a twin with the weights does)', async () => {
    const separable = join(root, 'tiny-separable');
    // The tiny run of the other tests (helpers/run.ts), with inv-separable's Involution layers.
    const flags = tinyRunFlags(dataDir, separable);
    flags[flags.indexOf('--model') + 1] = 'inv-separable';
    flags[flags.indexOf('--epochs') + 1] = '1';
    const trainArgs = parseCli(['train', ...flags]) as TrainArgs;
    expect((await train(trainArgs, io)).status).toBe('completed');
    const model = createModel('inv-separable');
    const involutions = model.layers.filter((l) => l.getClassName() === 'Involution').map((l) => l.name);
    model.dispose();
    expect(involutions.length).toBeGreaterThan(0);
    const out = join(root, 'separable.svg');
    await heatmapsCommand(
      parseCli([
        'heatmaps',
        '--run',
        separable,
        '--images',
        '2',
        '--out',
        out,
        '--data-dir',
        dataDir,
      ]) as HeatmapsArgs,
      log,
    );
    const svg = await readFile(out, 'utf8');
    for (const name of involutions) expect(svg).toContain(name);
  });

  it('lists the valid values of a bad option, and wants a .png, .svg or .pdf', async () => {
    expect(() => parseCli(['heatmaps', '--run', run, '--out', 'x.png', '--reduce', 'median'])).toThrow(
      "--reduce 'median' is not valid; expected one of: sum, mean, abs, max",
    );
    expect(() => parseCli(['heatmaps', '--run', run, '--out', 'x.png', '--colormap', 'jet'])).toThrow(
      "--colormap 'jet' is not valid; expected one of: viridis, magma, gray",
    );
    expect(() => parseCli(['heatmaps', '--run', run, '--out', 'x.png', '--normalize', 'batch'])).toThrow(
      "--normalize 'batch' is not valid; expected one of: image, layer",
    );
    await expect(
      heatmapsCommand(
        parseCli(['heatmaps', '--run', run, '--out', join(root, 'h.jpg')]) as HeatmapsArgs,
        log,
      ),
    ).rejects.toThrow(/h\.jpg: expected a file name ending in \.png or \.svg or \.pdf$/);
  });
});

describe('inv plot', () => {
  it('writes the curves of runs as PNG, SVG and PDF', async () => {
    const png = join(root, 'curves.png');
    await plotCommand(parseCli(['plot', '--runs', run, run, '--out', png]) as PlotArgs, log);
    const [width, height] = await pngSize(png);
    expect(width).toBeGreaterThan(800);
    expect(height).toBeGreaterThan(300);
    // --scale 2: the same layout at twice the pixels each way (a 2×-DPI figure).
    const png2 = join(root, 'curves@2x.png');
    await plotCommand(parseCli(['plot', '--runs', run, run, '--out', png2, '--scale', '2']) as PlotArgs, log);
    expect(await pngSize(png2)).toEqual([2 * width, 2 * height]);
    expect(() => parseCli(['plot', '--runs', run, '--out', png2, '--scale', '9'])).toThrow(
      "--scale '9' is not valid; expected a positive number up to 8",
    );
    const svg = join(root, 'curves.svg');
    await plotCommand(parseCli(['plot', '--runs', run, '--out', svg, '--log-loss']) as PlotArgs, log);
    const text = await readFile(svg, 'utf8');
    expect(text).toContain('>loss (log scale)</text>');
    // The legend: the run's colour, train solid and test dashed.
    for (const label of ['tiny-inv', 'train', 'test', 'epoch', 'best epoch (test accuracy)'])
      expect(text).toContain(`>${label}</text>`);
    const pdf = join(root, 'curves.pdf');
    await plotCommand(parseCli(['plot', '--runs', run, '--out', pdf]) as PlotArgs, log);
    expect((await readFile(pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses other formats and runs without epochs', async () => {
    await expect(
      plotCommand(parseCli(['plot', '--runs', run, '--out', 'c.jpg']) as PlotArgs, log),
    ).rejects.toThrow('--out c.jpg: expected a file name ending in .png or .svg or .pdf');
    await expect(
      plotCommand(parseCli(['plot', '--runs', root, '--out', join(root, 'c.png')]) as PlotArgs, log),
    ).rejects.toThrow(/has no finished epoch/);
    expect(() => parseCli(['plot', '--out', 'c.png'])).toThrow(/--runs is required/);
  });
});

describe('inv compare', () => {
  it('trains both seed models and writes report.md with parameters, accuracies and both figures', async () => {
    const out = join(root, 'compare');
    const args = parseCli([
      'compare',
      '--data-dir',
      dataDir,
      '--epochs',
      '1',
      '--limit',
      '320',
      '--backend',
      'wasm',
      '--out',
      out,
    ]) as CompareArgs;
    expect((await compareCommand(args, io)).status).toBe('completed');
    const report = await readFile(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(
      /\| seed-conv \| 319,178 \| 319,178 \| 0 \| \d+\.\d% \| \d+\.\d% \| 73\.0% \| 71\.8% \|/,
    );
    expect(report).toMatch(
      /\| seed-inv \| 13,080 \| 13,074 \| 6 \| \d+\.\d% \| \d+\.\d% \| 47\.2% \| 44\.2% \|/,
    );
    expect(report).toContain('![loss and accuracy per epoch](curves.png)');
    expect(report).toContain('![kernel heatmaps](heatmaps.png)');
    expect((await pngSize(join(out, 'curves.png')))[0]).toBeGreaterThan(800);
    expect((await pngSize(join(out, 'heatmaps.png')))[1]).toBe(28 + 10 * 136 + 44);
    // A conv run has no kernels to draw; a second compare needs --resume, and then has nothing left to train.
    await expect(
      heatmapsCommand(
        parseCli(['heatmaps', '--run', join(out, 'seed-conv'), '--out', join(root, 'c.png')]) as HeatmapsArgs,
        log,
      ),
    ).rejects.toThrow(/seed-conv\) has no kernels to show: .*no Involution layer/);
    await expect(compareCommand(args, io)).rejects.toThrow(/is not empty; pass --resume/);
    expect((await compareCommand({ ...args, resume: true }, io)).status).toBe('completed');
  });
});
