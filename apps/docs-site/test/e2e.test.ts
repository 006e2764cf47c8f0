// End to end: the built site (dist/, from `docs-site:build`) served statically, driven in headless Chromium,
// its demos' results recomputed in Node.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCifar10 } from '@inv/data';
import { encodePng, rgbImage } from '@inv/viz';
import { launchBrowser, type Browser } from './helpers/browser.js';
import {
  loadSiteModel,
  maxAbsDiff,
  playgroundInNode,
  probabilitiesInNode,
  useCpu,
} from './helpers/node_reference.js';
import { serveStatic } from './helpers/static_server.js';
import type { InvHooks } from '../src/pages/hooks.js';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
/** One page (and one link in each index) per guide in the workspace's docs/. */
const guideCount = readdirSync(fileURLToPath(new URL('../../../docs', import.meta.url))).filter((f) =>
  f.endsWith('.md'),
).length;
// The classifier's CIFAR-10 images: the site built with INV_DOCS_CIFAR10_URL=./cifar10/ (Nx passes the same
// environment to build and test) and the dataset folder at INV_CIFAR10_DIR, served under that URL.
const cifar10Dir =
  process.env['INV_DOCS_CIFAR10_URL'] === './cifar10/' ? process.env['INV_CIFAR10_DIR'] : undefined;
const artifacts = fileURLToPath(new URL('../test-artifacts/', import.meta.url));

let browser: Browser;
let server: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  if (!existsSync(`${dist}/index.html`))
    throw new Error(`${dist} has no site: run \`pnpm nx run docs-site:test\` (it builds first)`);
  mkdirSync(artifacts, { recursive: true });
  await useCpu();
  server = await serveStatic(dist, cifar10Dir === undefined ? {} : { '/cifar10/': cifar10Dir });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens `path`, checks it loads without console errors once `ready` holds, and saves a screenshot. */
async function visit(
  path: string,
  screenshot: string,
  ready?: (page: Page) => Promise<unknown>,
): Promise<Page> {
  const { page, errors } = await browser.newPage();
  const response = await page.goto(server.url + path);
  expect(response?.status(), path).toBe(200);
  await ready?.(page);
  await page.screenshot({ path: `${artifacts}${screenshot}.png`, fullPage: true });
  expect(errors, `console errors on ${path}`).toEqual([]);
  return page;
}

function hook<K extends keyof InvHooks>(page: Page, key: K): Promise<InvHooks[K] | undefined> {
  return page.evaluate((k) => window.inv?.[k] as never, key) as Promise<InvHooks[K] | undefined>;
}

/** Waits until the playground has published run number `run` or later. */
async function playgroundRun(page: Page, run: number): Promise<NonNullable<InvHooks['playground']>> {
  await page.waitForFunction((n) => (window.inv?.playground?.run ?? 0) >= n, run, { timeout: 240_000 });
  return (await hook(page, 'playground'))!;
}

function expectMatchesNode(snapshot: NonNullable<InvHooks['playground']>): void {
  const node = playgroundInNode(snapshot);
  expect(snapshot.output.shape).toEqual(node.shape);
  expect(maxAbsDiff(snapshot.output.values, node.values)).toBeLessThan(1e-4);
}

describe('docs site', () => {
  it('serves the landing page, the guides and every package API reference, with relative links', async () => {
    const page = await visit('index.html', 'landing');
    for (const href of [
      'guides/index.html',
      'api/index.html',
      'playground.html',
      'classifier.html',
      'benchmark.html',
      'curves.html',
      'train.html',
    ]) {
      expect(await page.locator(`main a[href="${href}"]`).count(), href).toBeGreaterThan(0);
    }
    await page.close();

    const guides = await visit('guides/index.html', 'guides-index');
    // One link per guide in the workspace's docs/.
    const guideFiles = readdirSync(fileURLToPath(new URL('../../../docs', import.meta.url)));
    expect(await guides.locator('.guide-index a').count()).toBe(
      guideFiles.filter((f) => f.endsWith('.md')).length,
    );
    await guides.close();
    const guide = await visit('guides/involution.html', 'guide-involution');
    expect(await guide.locator('article').innerText()).toContain('kernel[b,i,j,u·K+v,g(c)]');
    expect(await guide.locator('aside a').count()).toBe(guideCount);
    await guide.close();

    const api = await visit('api/index.html', 'api-index');
    const packages = await api.locator('.api-index a').allInnerTexts();
    expect(packages).toEqual(
      expect.arrayContaining([
        '@inv/core',
        '@inv/data',
        '@inv/models',
        '@inv/viz',
        '@inv/generator-attention',
      ]),
    );
    await api.close();
    const core = await visit('api/core/index.html', 'api-core');
    expect(await core.title()).toContain('@inv/core');
    await core.close();
  });

  it('runs the op playground on WebGPU, equal to @inv/core in Node', async () => {
    const page = await visit('playground.html', 'playground', (p) => playgroundRun(p, 1));
    expect(await page.locator('#backend-badge').getAttribute('data-backend')).toBe('webgpu');
    expect(await page.locator('#backend-badge').innerText()).toBe('running on WebGPU');
    expect(await page.evaluate(() => window.inv?.getBackend?.())).toBe('webgpu');
    expectMatchesNode(await playgroundRun(page, 1));

    // Every knob at once: a 5×5 softmax kernel per channel, stride 2.
    const before = (await hook(page, 'playground'))!.run;
    await page.selectOption('#kernel-size', '5');
    await page.selectOption('#stride', '2');
    await page.selectOption('#groups', '3');
    await page.selectOption('#generator', 'softmax');
    await page.waitForFunction(
      () => {
        const s = window.inv?.playground?.settings;
        return s?.kernelSize === 5 && s.stride === 2 && s.groups === 3 && s.generator === 'softmax';
      },
      undefined,
      { timeout: 240_000 },
    );
    const changed = await playgroundRun(page, before + 1);
    expect(changed.output.shape).toEqual([1, 32, 32, 3]);
    expectMatchesNode(changed);
    expect(await page.locator('#timing').innerText()).toMatch(/ms per call/);
    await page.screenshot({ path: `${artifacts}playground-k5-s2-g3-softmax.png`, fullPage: true });
    await page.close();
  });

  it.each(['webgl', 'wasm'])(
    'falls back to %s (badge says so) with the same playground output',
    async (backend) => {
      const page = await visit(`playground.html?backend=${backend}`, `playground-${backend}`, (p) =>
        playgroundRun(p, 1),
      );
      expect(await page.locator('#backend-badge').getAttribute('data-backend')).toBe(backend);
      expect(await page.locator('#backend-badge').innerText()).toBe(`running on ${backend} (as asked)`);
      expectMatchesNode(await playgroundRun(page, 1));
      await page.close();
    },
  );

  it('classifies an uploaded image like the same model files loaded in Node', async () => {
    const page = await visit('classifier.html', 'classifier-builtin', (p) =>
      p.waitForFunction(() => (window.inv?.classifier?.run ?? 0) >= 1, undefined, { timeout: 240_000 }),
    );
    expect(await page.evaluate(() => window.inv?.getBackend?.())).toBe('webgpu');
    // A 48×40 image (so the page crops and resizes it): a bright disc on a dark, blue-green background.
    const [width, height] = [48, 40];
    const pixels = Uint8Array.from({ length: width * height * 3 }, (_, i) => {
      const p = Math.floor(i / 3);
      const [x, y, c] = [p % width, Math.floor(p / width), i % 3];
      const inDisc = (x - 24) ** 2 + (y - 18) ** 2 < 100;
      return inDisc ? [240, 220, 60][c]! : [20 + x, 60 + y, 110][c]!;
    });
    await page.setInputFiles('#image-file', {
      name: 'disc.png',
      mimeType: 'image/png',
      buffer: Buffer.from(encodePng(rgbImage(pixels, width, height))),
    });
    await page.waitForFunction(() => (window.inv?.classifier?.run ?? 0) >= 2, undefined, {
      timeout: 240_000,
    });
    const snapshot = (await hook(page, 'classifier'))!;
    expect(snapshot.input.shape).toEqual([1, 32, 32, 3]);

    const model = await loadSiteModel(`${dist}/models/resinv`);
    const node = await probabilitiesInNode(model, snapshot.input);
    const nodeTop = node.indexOf(Math.max(...node));
    expect(snapshot.top[0]!.index).toBe(nodeTop);
    expect(maxAbsDiff(snapshot.probabilities, node)).toBeLessThan(1e-4);
    expect(snapshot.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(await page.locator('#predictions li').count()).toBe(3);
    expect(await page.locator('#predictions li').first().innerText()).toContain(snapshot.top[0]!.label);
    const canvas = await page.locator('#figure').boundingBox();
    expect(canvas?.width).toBeGreaterThan(400);
    await page.screenshot({ path: `${artifacts}classifier-upload.png`, fullPage: true });
    await page.close();
  });

  it.skipIf(cifar10Dir === undefined)(
    'classifies CIFAR-10 test images fetched by the page (INV_DOCS_CIFAR10_URL=./cifar10/, INV_CIFAR10_DIR)',
    async () => {
      const page = await visit('classifier.html', 'classifier-cifar-idle', (p) =>
        p.waitForFunction(() => (window.inv?.classifier?.run ?? 0) >= 1, undefined, { timeout: 240_000 }),
      );
      await page.click('#cifar-image');
      await page.waitForFunction(() => (window.inv?.classifier?.run ?? 0) >= 2, undefined, {
        timeout: 240_000,
      });
      const snapshot = (await hook(page, 'classifier'))!;
      const test = await loadCifar10({ dir: cifar10Dir!, split: 'test', limit: 1 });
      expect(snapshot.input.values).toEqual(Array.from(test.images, (v) => Math.fround(v / 255)));
      const node = await probabilitiesInNode(await loadSiteModel(`${dist}/models/resinv`), snapshot.input);
      expect(snapshot.top[0]!.index).toBe(node.indexOf(Math.max(...node)));
      expect(await page.locator('#image-caption').innerText()).toContain(
        `labelled ${test.classNames[test.labels[0]!]}`,
      );
      await page.screenshot({ path: `${artifacts}classifier-cifar10.png`, fullPage: true });
      await page.close();
    },
  );

  it('benchmarks the fused kernel, the composite and conv2d', async () => {
    const page = await visit('benchmark.html', 'benchmark-idle', (p) =>
      p.waitForSelector('#start:not([disabled])'),
    );
    // The smallest shape only: the others take minutes on a software GPU.
    await page.uncheck('#shape-1');
    await page.uncheck('#shape-2');
    await page.fill('#calls', '3');
    await page.click('#start');
    await page.waitForFunction(() => window.inv?.benchmark?.done === true, undefined, { timeout: 240_000 });
    const { rows } = (await hook(page, 'benchmark'))!;
    expect(rows.map((r) => r.op)).toEqual(['involution2d', 'involution2dComposite', 'tf.conv2d']);
    for (const row of rows) expect(row.medianMs).toBeGreaterThan(0);
    expect(await page.locator('#results tr').count()).toBe(3);
    await page.screenshot({ path: `${artifacts}benchmark.png`, fullPage: true });
    await page.close();
  });

  it('draws the curves of picked history.jsonl files live, and names a bad file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inv-curves-'));
    const record = (epoch: number, acc: number) =>
      JSON.stringify({ epoch, loss: 2 - acc, accuracy: acc, val_loss: 2.1 - acc, val_accuracy: acc - 0.05 });
    for (const run of ['seed-conv', 'seed-inv']) mkdirSync(join(dir, run));
    // A test loss that was not finite is null in history.jsonl (JSON has no NaN): a gap in the curve.
    const lines = [0.4, 0.55, 0.62].map((a, i) => record(i + 1, a));
    lines[1] = lines[1]!.replace(/"val_loss":[^,]+/, '"val_loss":null');
    writeFileSync(join(dir, 'seed-conv', 'history.jsonl'), lines.join('\n'));
    // A torn last line (a crash mid-append) is left out, as resume does.
    writeFileSync(
      join(dir, 'seed-inv', 'history.jsonl'),
      `${record(1, 0.3)}\n${record(2, 0.41)}\n{"epoch": 3, "lo`,
    );
    const page = await visit('curves.html', 'curves-empty');
    await page.setInputFiles('#files', [
      join(dir, 'seed-conv', 'history.jsonl'),
      join(dir, 'seed-inv', 'history.jsonl'),
    ]);
    await page.waitForFunction(() => window.inv?.curves !== undefined, undefined, { timeout: 60_000 });
    // Both files are named history.jsonl: setInputFiles gives no folder, so the second is numbered.
    expect((await hook(page, 'curves'))!.runs).toEqual(['history', 'history (2)']);
    const text = await page.locator('#curves svg').textContent();
    for (const label of ['epoch', 'train', 'test', 'history (2)']) expect(text).toContain(label);
    expect(await page.locator('#status').textContent()).toContain('its last line was cut off mid-write');
    await page.check('#log-loss');
    await page.waitForFunction(() => window.inv?.curves?.logLoss === true);
    await page.screenshot({ path: `${artifacts}curves.png`, fullPage: true });
    await page.close();

    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${record(1, 0.3)}\n{"epoch": 2}\n${record(3, 0.5)}`);
    const { page: badPage, errors } = await browser.newPage();
    await badPage.goto(server.url + 'curves.html');
    await badPage.setInputFiles('#files', [bad]);
    await badPage.waitForSelector('#error:not([hidden])');
    expect(await badPage.locator('#error').textContent()).toBe(
      "bad.jsonl, line 2: 'loss' is missing or not a number; expected an epoch record",
    );
    expect(errors).toHaveLength(1);
    await badPage.close();
  });
});
