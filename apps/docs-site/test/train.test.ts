// End to end: the Train page in headless Chromium over the built site (dist/, from `docs-site:build`): it
// trains on the CIFAR-10 subset built in with INV_CIFAR10_DIR, on WebGPU (SwiftShader) and on wasm; its model,
// downloaded, evaluates in Node (`inv evaluate --model-dir`) to the page's own predictions; a damaged archive
// is named and changes nothing else; a run folder of `inv train` opens with its curves and heatmaps.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from './helpers/browser.js';
import { serveStatic } from './helpers/static_server.js';
import type { InvHooks } from '../src/pages/hooks.js';
import { cifar10Dir } from '../plugins/cifar10_subset.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));
const cli = fileURLToPath(new URL('../../trainer/dist/cli.js', import.meta.url));
const dataDir = cifar10Dir();
/** The site was built with INV_CIFAR10_DIR: it has the subset the training tests use. */
const subsetBuilt = existsSync(join(dist, 'data', 'cifar10-subset.bin'));

/** Temp folders of this file (a 160 MB archive among them), removed after its tests. */
const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

let browser: Browser;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  if (!existsSync(`${dist}/train.html`))
    throw new Error(`${dist} has no train.html: run \`pnpm nx run docs-site:test\` (it builds first)`);
  mkdirSync(artifacts, { recursive: true });
  server = await serveStatic(dist);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

type Train = InvHooks['train'];

async function train(page: Page): Promise<Train> {
  return (await page.evaluate(() => window.inv?.train as never)) as Train;
}

/** Opens the Train page and waits for its data (the built-in subset) to load. */
async function open(path: string): Promise<{ page: Page; errors: string[] }> {
  const { page, errors } = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  expect((await page.goto(server.url + path))?.status()).toBe(200);
  await page.waitForFunction(() => window.inv?.train?.data !== undefined, undefined, { timeout: 120_000 });
  return { page, errors };
}

/** Sets the training settings and starts. */
async function start(page: Page, settings: Record<string, string>): Promise<void> {
  for (const [id, value] of Object.entries(settings)) await page.fill(`#${id}`, value);
  await page.click('#start');
}

/** Waits until the session has taken `steps` steps. */
async function stepsTaken(page: Page, steps: number): Promise<void> {
  await page.waitForFunction((n) => (window.inv?.train?.stepLosses.length ?? 0) >= n, steps, {
    timeout: 280_000,
  });
}

/** Waits until the session has ended (finished or stopped) and published its final figures. */
async function ended(page: Page, state: 'finished' | 'stopped'): Promise<Train> {
  await page.waitForFunction(
    (s) => window.inv?.train?.state === s && window.inv.train.final !== undefined,
    state,
    {
      timeout: 280_000,
    },
  );
  return train(page);
}

/** Pauses the session, checks that no step is taken while paused, and resumes it. */
async function pauseAndResume(page: Page): Promise<void> {
  await page.click('#pause');
  await page.waitForFunction(() => window.inv?.train?.state === 'paused');
  expect(await page.locator('#pause').innerText()).toBe('resume');
  expect(await page.locator('#start').isDisabled()).toBe(true);
  const paused = (await train(page)).stepLosses.length;
  await page.waitForTimeout(1500);
  expect((await train(page)).stepLosses.length).toBe(paused);
  await page.click('#pause');
  await page.waitForFunction(() => window.inv?.train?.state === 'running');
}

/** A ustar header for a regular file `name` of `size` bytes (what `tar` writes, checksum included). */
function tarHeader(name: string, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write('0', 156);
  header.write('ustar\0' + '00', 257);
  header.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Downloads the page's trained model and evaluates the files in Node with `inv evaluate --model-dir` on the
 * same 1,000 test images: the same predictions as the page's, up to images on a decision boundary.
 */
async function expectSameInNode(page: Page, result: Train): Promise<void> {
  const dir = tempDir('inv-train-download-');
  const downloads: Promise<void>[] = [];
  page.on('download', (download) => downloads.push(download.saveAs(join(dir, download.suggestedFilename()))));
  await page.click('#download');
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(3);
  await Promise.all(downloads);
  expect(readdirSync(dir).sort()).toEqual(['inv-model.json', 'model.json', 'weights.bin']);
  const meta = JSON.parse(readFileSync(join(dir, 'inv-model.json'), 'utf8')) as Record<string, unknown>;
  expect(meta).toMatchObject({ format: 'inv-model', model: 'seed-inv', backend: 'webgpu', testImages: 1000 });
  expect(meta['testAccuracy']).toBe(result.final!.accuracy);

  const out = join(dir, 'result.json');
  execFileSync(
    process.execPath,
    [
      cli,
      'evaluate',
      '--model-dir',
      dir,
      '--data-dir',
      dataDir!,
      '--limit',
      '1000',
      '--backend',
      'cpu',
      '--out',
      out,
    ],
    { stdio: 'pipe' },
  );
  const node = JSON.parse(readFileSync(out, 'utf8')) as {
    accuracy: number;
    images: number;
    predictions: number[];
  };
  expect(node.images).toBe(1000);
  const agree = node.predictions.filter((p, i) => p === result.final!.predictions[i]).length;
  // A .txt, which the workspace's prettier check leaves alone.
  writeFileSync(
    `${artifacts}train-node-agreement.txt`,
    `${agree} of 1000 test images predicted alike; accuracy ${result.final!.accuracy} in the page, ${node.accuracy} in Node\n`,
  );
  // WebGPU (SwiftShader) and Node's cpu backend round differently: an image on a decision boundary may flip.
  expect(agree).toBeGreaterThanOrEqual(995);
  expect(Math.abs(node.accuracy - result.final!.accuracy)).toBeLessThanOrEqual(0.005);
}

describe('Train page', () => {
  it.skipIf(!subsetBuilt).each(['webgpu', 'wasm'])(
    'trains seed-inv on the built-in subset on %s: the loss falls, curves and heatmaps are drawn',
    async (backend) => {
      const { page, errors } = await open(`train.html${backend === 'webgpu' ? '' : `?backend=${backend}`}`);
      expect(await page.locator('#backend-badge').getAttribute('data-backend')).toBe(backend);
      const loaded = await train(page);
      expect(loaded.data).toMatchObject({ train: 3000, test: 1000 });
      // 2 epochs of 640 images in batches of 32: 40 steps, a curve point every half epoch.
      await start(page, { epochs: '2', 'batch-size': '32', 'train-images': '640', lr: '0.003' });
      if (backend === 'wasm') {
        await stepsTaken(page, 5);
        await pauseAndResume(page);
      }
      const result = await ended(page, 'finished');
      expect(result.stepLosses).toHaveLength(40);
      expect(result.history.map((r) => r.epoch)).toEqual([0.5, 1, 1.5, 2]);
      const losses = result.stepLosses;
      // ln 10 = 2.303 at the start (uniform logits); it must fall.
      expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 8)) - 0.05);
      expect(result.history.at(-1)!.loss).toBeLessThan(result.history[0]!.loss);
      expect(result.imagesPerSecond).toBeGreaterThan(0);
      // Nothing leaks from one epoch to the next (steps, evaluations, heatmaps).
      expect(result.tensorsAfterEpoch).toHaveLength(2);
      expect(result.tensorsAfterEpoch[1]).toBe(result.tensorsAfterEpoch[0]);
      expect(result.curvesDrawn).toBe(4);
      // Before training, then after each epoch.
      expect(result.heatmapsDrawn).toBe(3);
      const curves = await page.locator('#curves svg').textContent();
      for (const label of ['epoch', 'loss', 'accuracy', 'train', 'test']) expect(curves).toContain(label);
      expect((await page.locator('#heatmaps').boundingBox())!.width).toBeGreaterThan(200);
      expect(await page.locator('#train-status').innerText()).toMatch(/Finished after 40 steps/);
      // The confusion matrix: 10 × 10 counts summing to the test images, its diagonal the correct ones.
      const matrix = result.final!.confusion;
      expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(1000);
      expect(matrix.reduce((sum, row, i) => sum + row[i]!, 0) / 1000).toBeCloseTo(result.final!.accuracy, 6);
      expect(await page.locator('table.confusion tbody td').count()).toBe(100);
      await page.screenshot({ path: `${artifacts}train-${backend}.png`, fullPage: true });
      if (backend === 'wasm') {
        // Stop: the session ends after the step under way, evaluated as it is, and can be downloaded.
        await start(page, { epochs: '5' });
        await stepsTaken(page, 3);
        await page.click('#stop');
        const stopped = await ended(page, 'stopped');
        expect(stopped.stepLosses.length).toBeLessThan(100);
        expect(await page.locator('#train-status').innerText()).toMatch(/^Stopped after \d+ steps/);
        expect(await page.locator('#download').isDisabled()).toBe(false);
      }
      if (backend === 'webgpu') {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: `${artifacts}train-phone.png`, fullPage: true });
        // Nothing wider than the phone's window but the figures, which scroll inside their boxes.
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        if (dataDir !== undefined) await expectSameInNode(page, result);
      }
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it.skipIf(!subsetBuilt).each([
    ['inv-separable', 'linear'],
    ['resinv', 'softmax'],
  ])(
    'trains %s with %s kernels on wasm, its heatmaps drawn from a twin that outputs the kernels',
    async (model, generator) => {
      const { page, errors } = await open('train.html?backend=wasm');
      await page.selectOption('#model', model);
      await page.selectOption('#generator', generator);
      await start(page, { epochs: '1', 'batch-size': '32', 'train-images': '64' });
      const result = await ended(page, 'finished');
      expect(result.stepLosses).toHaveLength(2);
      expect(result.stepLosses.every(Number.isFinite)).toBe(true);
      // Before training and after the epoch: these models' Involution layers do not return their kernels.
      expect(result.heatmapsDrawn).toBe(2);
      expect(result.final!.predictions).toHaveLength(1000);
      expect(await page.locator('#model-about').innerText()).toContain('test accuracy');
      await page.screenshot({ path: `${artifacts}train-${model}-wasm.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it.skipIf(!subsetBuilt || dataDir === undefined)(
    "opens a run folder of `inv train`: its curves, and its best checkpoint's kernel heatmaps",
    async () => {
      const run = join(tempDir('inv-train-run-'), 'seed-inv-tiny');
      execFileSync(
        process.execPath,
        [
          cli,
          'train',
          '--model',
          'seed-inv',
          '--epochs',
          '2',
          '--batch-size',
          '32',
          '--limit',
          '64',
          '--backend',
          'wasm',
          '--data-dir',
          dataDir!,
          '--out',
          run,
        ],
        { stdio: 'pipe' },
      );
      const { page, errors } = await open('train.html');
      const before = await train(page);
      await page.setInputFiles('#run-folder', run);
      await page.waitForFunction(() => window.inv?.train?.openedRun !== undefined, undefined, {
        timeout: 120_000,
      });
      const opened = await train(page);
      expect(opened.openedRun).toEqual({ name: 'seed-inv-tiny', epochs: 2, model: true });
      expect(opened.history.map((r) => r.epoch)).toEqual([1, 2]);
      expect(opened.curvesDrawn).toBe(before.curvesDrawn + 1);
      expect(opened.heatmapsDrawn).toBe(before.heatmapsDrawn + 1);
      expect(await page.locator('#curves svg').textContent()).toContain('seed-inv-tiny');
      expect(await page.locator('#train-status').innerText()).toContain('best checkpoint: epoch-000');
      await page.screenshot({ path: `${artifacts}train-run-folder.png`, fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it.skipIf(dataDir === undefined)(
    "reads the visitor's own cifar-10-binary.tar.gz and cifar-10-batches-bin folder in the page",
    async () => {
      // The official archive's layout, made from INV_CIFAR10_DIR (fast gzip: the page reads any level).
      const archive = join(tempDir('inv-train-archive-'), 'cifar-10-binary.tar.gz');
      execFileSync('sh', [
        '-c',
        'tar -C "$1" -cf - "$2" | gzip -1 > "$3"',
        'sh',
        join(dataDir!, '..'),
        basename(dataDir!),
        archive,
      ]);
      const { page, errors } = await browser.newPage();
      await page.goto(server.url + 'train.html');
      await page.waitForFunction(() => window.inv?.selection !== undefined, undefined, { timeout: 120_000 });
      if (subsetBuilt)
        await page.waitForFunction(() => window.inv?.train?.data !== undefined, undefined, {
          timeout: 120_000,
        });
      await page.setInputFiles('#archive-file', archive);
      await page.waitForFunction(
        () => window.inv?.train?.data?.source.startsWith('cifar-10-binary.tar.gz'),
        undefined,
        { timeout: 240_000 },
      );
      expect((await train(page)).data).toEqual({
        source: 'cifar-10-binary.tar.gz (the first 10,000 training and 1,000 test images)',
        train: 10_000,
        test: 1_000,
      });
      expect(await page.locator('#data-progress').isHidden()).toBe(true);
      // Repacked here (gzip -1): its MD5 is not the official one, and the page says so.
      expect(await page.locator('#data-status').innerText()).toMatch(
        /Its MD5 [0-9a-f]{32} is not the official archive's \(c32a1d4ab5d03f1284b67883e8d87530\)/,
      );
      expect(await page.locator('#start').isDisabled()).toBe(false);
      await page.setInputFiles('#data-folder', dataDir!);
      await page.waitForFunction(
        () => window.inv?.train?.data?.source.includes('files of a folder'),
        undefined,
        { timeout: 240_000 },
      );
      expect((await train(page)).data).toMatchObject({ train: 10_000, test: 1_000 });
      expect(await page.locator('#data-status').innerText()).toContain('7 files of a folder');
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it('names a truncated or corrupt archive dropped on the page, and nothing else breaks', async () => {
    const { page, errors } = await browser.newPage();
    await page.goto(server.url + 'train.html');
    await page.waitForFunction(
      () => window.inv?.train !== undefined && window.inv.selection !== undefined,
      undefined,
      {
        timeout: 120_000,
      },
    );
    if (subsetBuilt)
      await page.waitForFunction(() => window.inv?.train?.data !== undefined, undefined, {
        timeout: 120_000,
      });
    const before = await train(page);
    // A tar whose one entry, the first batch file, declares its 30,730,000 bytes but holds only 100,000.
    const cutTar = Buffer.concat([
      tarHeader('cifar-10-batches-bin/data_batch_1.bin', 30_730_000),
      Buffer.alloc(100_000, 7),
    ]);
    const archive = gzipSync(cutTar);
    const cases = [
      {
        bytes: archive.subarray(0, archive.length >> 1),
        message:
          /^cifar-10-binary\.tar\.gz (is not a readable cifar-10-binary\.tar\.gz \(gunzip failed|is cut off)/,
      },
      {
        bytes: Buffer.from('these bytes are not gzip'),
        message: /^cifar-10-binary\.tar\.gz is not a readable cifar-10-binary\.tar\.gz \(gunzip failed/,
      },
      {
        bytes: gzipSync(Buffer.alloc(4096, 1)),
        message: /^cifar-10-binary\.tar\.gz: tar header 1 fails its checksum/,
      },
      {
        bytes: archive,
        message:
          /^cifar-10-binary\.tar\.gz is cut off: it ends inside cifar-10-batches-bin\/data_batch_1\.bin after 100,000 of its 30,730,000 bytes/,
      },
    ];
    for (const { bytes, message } of cases) {
      await page.setInputFiles('#archive-file', {
        name: 'cifar-10-binary.tar.gz',
        mimeType: 'application/gzip',
        buffer: bytes,
      });
      await expect.poll(() => page.locator('#error').textContent(), { timeout: 60_000 }).toMatch(message);
      await page.evaluate(() => {
        const box = document.querySelector<HTMLElement>('#error')!;
        box.hidden = true;
        box.textContent = '';
      });
    }
    // Each error is shown and logged once; the page keeps the data it had, and can still start.
    expect(errors).toHaveLength(cases.length);
    expect((await train(page)).data).toEqual(before.data);
    expect(await page.locator('#start').isDisabled()).toBe(!subsetBuilt);
    await page.screenshot({ path: `${artifacts}train-bad-archive.png`, fullPage: true });
    await page.close();
  });
});
