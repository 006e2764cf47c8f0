import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The published packages as a stranger gets them: `pnpm pack` each public package, `npm install` the tarballs
// (tfjs from the registry) in an empty folder outside the workspace, and use each documented entry from there.

const run = promisify(execFile);
const workspace = resolve(import.meta.dirname, '..', '..', '..');
// Copied into the temp folder, so that every import resolves from its node_modules, never the workspace's.
const consumerSources = resolve(import.meta.dirname, '..', 'consumer');
let consumer = '';
const source = (file: string): string => join(consumer, 'src', file);

interface PublicPackage {
  name: string;
  dir: string;
}

/** Every package of packages/* and apps/* not marked private. */
async function publicPackages(): Promise<PublicPackage[]> {
  const found: PublicPackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of await readdir(join(workspace, group))) {
      const dir = join(workspace, group, entry);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
      };
      if (manifest.private !== true) found.push({ name: manifest.name, dir });
    }
  }
  return found;
}

/** Packs each package into `<consumer>/tarballs` and returns name → `file:` spec. */
async function packAll(packages: readonly PublicPackage[]): Promise<Record<string, string>> {
  const tarballs = join(consumer, 'tarballs');
  const specs: Record<string, string> = {};
  for (const { name, dir } of packages) {
    const before = new Set(await readdir(tarballs).catch(() => []));
    await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir });
    const made = (await readdir(tarballs)).filter((file) => !before.has(file));
    if (made.length !== 1) throw new Error(`pnpm pack in ${dir} made ${made.length} tarballs`);
    specs[name] = `file:./tarballs/${made[0]}`;
  }
  return specs;
}

/** Runs node on a file of the consumer and returns its `ok …` lines. */
async function runNode(file: string, ...args: string[]): Promise<string[]> {
  const { stdout } = await run(process.execPath, [file, ...args], { cwd: consumer });
  return stdout.split('\n').filter((line) => line.startsWith('ok '));
}

/** A CIFAR-10 test split in the official layout: 10,000 records of label + 3072 planar pixels, and the meta. */
async function writeCifarFixture(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const records = new Uint8Array(10_000 * 3073);
  for (let r = 0; r < 10_000; r++) {
    records[r * 3073] = r % 10;
    for (let p = 1; p < 3073; p += 97) records[r * 3073 + p] = (r * 31 + p) % 256;
  }
  await writeFile(join(dir, 'test_batch.bin'), records);
  const classes = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
  await writeFile(join(dir, 'batches.meta.txt'), `${classes.join('\n')}\n\n`);
}

const ESM_BANNER = [
  "import { createRequire as bannerCreateRequire } from 'node:module';",
  "import { dirname as bannerDirname } from 'node:path';",
  "import { fileURLToPath as bannerFileURLToPath } from 'node:url';",
  'const require = bannerCreateRequire(import.meta.url);',
  'const __dirname = bannerDirname(bannerFileURLToPath(import.meta.url));',
].join(' ');

const EXPECTED = [
  'ok wasm backend',
  'ok involution2d + gradients',
  'ok Involution layer (softmax generator) saved and loaded',
  'ok loadCifar10',
  'ok createModel + one training step',
  'ok heatmap PNG',
];

describe('the packed packages, installed with npm outside the workspace', () => {
  let packages: PublicPackage[] = [];

  beforeAll(async () => {
    consumer = await mkdtemp(join(tmpdir(), 'inv-pack-'));
    expect(relative(workspace, consumer).startsWith('..')).toBe(true);
    packages = await publicPackages();
    const specs = await packAll(packages);
    const tfjs = '4.22.0';
    const manifest = {
      name: 'inv-consumer',
      private: true,
      type: 'module',
      dependencies: { ...specs, '@tensorflow/tfjs': tfjs, '@tensorflow/tfjs-backend-wasm': tfjs },
      devDependencies: { '@types/node': '20.19.43' },
    };
    await writeFile(join(consumer, 'package.json'), JSON.stringify(manifest, null, 2));
    // Scripts off: none of inv's dependencies needs one to work (the `webgpu` package's only fetches prebuilts).
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: consumer,
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    await writeCifarFixture(join(consumer, 'cifar-10-batches-bin'));
    await cp(consumerSources, join(consumer, 'src'), { recursive: true });
  }, 300_000);

  afterAll(async () => {
    if (consumer !== '') await rm(consumer, { recursive: true, force: true });
  });

  it('publishes no workspace: range', async () => {
    for (const { name } of packages) {
      const installed = join(consumer, 'node_modules', name);
      const manifest = await readFile(join(installed, 'package.json'), 'utf8');
      expect(manifest, name).not.toContain('workspace:');
    }
  });

  it('type-checks a user module against the published types', async () => {
    await writeFile(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2022', 'DOM'],
          types: ['node'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
        },
        files: [source('usage.ts'), source('browser.ts')],
      }),
    );
    const tsc = join(workspace, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(
      run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer }),
    ).resolves.toBeDefined();
  });

  it('runs each package in Node', async () => {
    await build({
      entryPoints: [source('usage.ts')],
      outfile: join(consumer, 'usage.mjs'),
      format: 'esm',
      platform: 'node',
      logLevel: 'error',
    });
    expect(await runNode('usage.mjs', 'cifar-10-batches-bin')).toEqual(EXPECTED);
  });

  it('runs each package from one esbuild bundle', async () => {
    await build({
      entryPoints: [source('usage.ts')],
      absWorkingDir: consumer,
      outfile: join(consumer, 'bundle.mjs'),
      bundle: true,
      format: 'esm',
      platform: 'node',
      // tfjs is CommonJS (require() of Node's built-ins, __dirname): the usual banner for an ESM bundle of it.
      banner: { js: ESM_BANNER },
      // Native addons (the PNG renderer's) cannot be inlined: they are copied beside the bundle.
      loader: { '.node': 'copy' },
      logLevel: 'error',
    });
    const wasmDir = `${join(consumer, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')}/`;
    expect(await runNode('bundle.mjs', 'cifar-10-batches-bin', wasmDir)).toEqual(EXPECTED);
  });

  it('runs the command-line tools it installs', async () => {
    const bin = (name: string) => join(consumer, 'node_modules', '.bin', name);
    const { stdout } = await run(bin('inv'), ['summary', '--model', 'seed-inv'], { cwd: consumer });
    expect(stdout).toContain('Total params: 13080');
    await expect(run(bin('inv-bench'), ['--help'], { cwd: consumer })).resolves.toBeDefined();
  });

  it('bundles for the browser without reaching a Node module', async () => {
    const result = await build({
      entryPoints: [source('browser.ts')],
      absWorkingDir: consumer,
      outfile: join(consumer, 'browser.js'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      logLevel: 'error',
    });
    expect(result.errors).toEqual([]);
  });
});
