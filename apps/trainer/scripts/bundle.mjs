// The portable bundle: one folder that runs `inv` and `inv-bench` on a bare Linux x86-64 machine (a GPU
// driver, no Node, no npm, no network). Layout:
//
//   inv, inv-bench          the launcher (bundle/launch.sh), once per command
//   lib/inv.mjs, lib/inv-bench.mjs, lib/chunk-*.mjs
//                           esbuild's bundle of apps/trainer/dist/cli.js and packages/bench/dist/cli.js
//   lib/*.wasm              tfjs-backend-wasm's binaries (it looks for them beside its code)
//   lib/node_modules/       what the code resolves at run time: Dawn (`webgpu`, dawn.node xz'd), the
//                           figures' fonts, the package manifests the bench reports versions from
//   lib/vulkan/             the Vulkan loader (xz'd), used only where the system has none
//   node/node.xz            this Node, xz'd (--no-node leaves it out: the launcher then needs one on PATH)
//   tools/peer/*.py         the bench's PyTorch peers; compare/ the GPU comparison (bundle/compare/)
//
//   pnpm nx run trainer:bundle                      # dist/inv-bundle/ at the workspace root
//   node apps/trainer/scripts/bundle.mjs --out DIR [--no-node]
//
// The folder is written beside its destination and renamed into place: an interrupted build leaves the old
// bundle whole.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The ceiling; the device machine takes 64 MiB with the checkout. */
const MAX_BYTES = 60 * 2 ** 20;

function parseArgs(argv) {
  const options = { out: join(ROOT, 'dist', 'inv-bundle'), node: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--no-node') options.node = false;
    else if (flag === '--out' && argv[i + 1] !== undefined) options.out = resolve(argv[++i]);
    else {
      throw new Error(`bundle: unknown or incomplete flag '${flag}'; expected --out DIR and --no-node`);
    }
  }
  return options;
}

/** The folder of `pkg`'s package.json as `fromPackage` (a workspace folder) resolves it. */
function packageDir(fromPackage, pkg) {
  const require = createRequire(join(ROOT, fromPackage, 'package.json'));
  return dirname(require.resolve(`${pkg}/package.json`));
}

/** `pkg`'s version as `fromPackage` resolves it. */
const packageVersion = (fromPackage, pkg) =>
  createRequire(join(ROOT, fromPackage, 'package.json'))(`${pkg}/package.json`).version;

/** `xz -9` of `source` at `target` (Node's 99 MB → about 25 MB; Dawn's 21 MB → about 5 MB). */
function xz(source, target) {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, execFileSync('xz', ['-9', '-T0', '-c', source], { maxBuffer: 2 ** 30 }));
}

function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

/**
 * In the bundle the workspace root is the bundle's root (one level above lib/): the bench finds its PyTorch
 * peers in tools/peer/ there, as it does in a checkout.
 */
const bundleWorkspace = {
  name: 'bundle-workspace',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/]bench[\\/]dist[\\/]workspace\.js$/ }, () => ({
      contents: `import { fileURLToPath } from 'node:url';
export function workspacePath(relative) {
  return fileURLToPath(new URL('../' + relative, import.meta.url));
}`,
      loader: 'js',
    }));
  },
};

async function bundle({ out, node }) {
  const staging = `${out}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const lib = join(staging, 'lib');
  mkdirSync(lib, { recursive: true });

  // Both commands in one build: the code they share (tfjs, the models) is one set of chunks.
  await build({
    entryPoints: {
      inv: join(ROOT, 'apps/trainer/dist/cli.js'),
      'inv-bench': join(ROOT, 'packages/bench/dist/cli.js'),
    },
    outdir: lib,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    // Native addons, loaded at run time from lib/node_modules (Dawn, resvg), or optional and absent (tfjs-node).
    external: ['webgpu', '@resvg/resvg-js', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    // CommonJS inside an ES module (tfjs-backend-wasm's Node build reads __dirname to find its .wasm).
    banner: {
      js: [
        "import { createRequire as __bundleCreateRequire } from 'node:module';",
        "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
        'const require = __bundleCreateRequire(import.meta.url);',
        'const __filename = __bundleFileURLToPath(import.meta.url);',
        "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
      ].join('\n'),
    },
    plugins: [bundleWorkspace],
    logLevel: 'warning',
    // tfjs-core's dynamic requires of optional Node modules are fine left as they are.
    logOverride: { 'unsupported-dynamic-import': 'silent', 'unsupported-require-call': 'silent' },
  });

  const wasmDir = join(packageDir('packages/core', '@tensorflow/tfjs-backend-wasm'), 'dist');
  for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm') && !f.includes('threaded'))) {
    cpSync(join(wasmDir, file), join(lib, file));
  }

  const modules = join(lib, 'node_modules');
  const dawn = packageDir('packages/core', 'webgpu');
  const dawnOut = join(modules, 'webgpu');
  mkdirSync(dawnOut, { recursive: true });
  for (const file of ['package.json', 'index.js', 'LICENSE.md'])
    cpSync(join(dawn, file), join(dawnOut, file));
  xz(join(dawn, 'dist/linux-x64/dawn.node'), join(dawnOut, 'dist/linux-x64/dawn.node.xz'));

  const resvg = packageDir('packages/viz', '@resvg/resvg-js');
  cpSync(resvg, join(modules, '@resvg/resvg-js'), { recursive: true, dereference: true });
  const resvgNative = packageDir(relative(ROOT, resvg), '@resvg/resvg-js-linux-x64-gnu');
  cpSync(resvgNative, join(modules, '@resvg/resvg-js-linux-x64-gnu'), { recursive: true, dereference: true });

  const fonts = packageDir('packages/viz', 'dejavu-fonts-ttf');
  for (const file of ['package.json', 'LICENSE', 'ttf/DejaVuSans.ttf', 'ttf/DejaVuSans-Bold.ttf']) {
    if (existsSync(join(fonts, file))) cpSync(join(fonts, file), join(modules, 'dejavu-fonts-ttf', file));
  }
  for (const pkg of ['@inv/bench', '@inv/core']) {
    const manifest = { name: pkg, version: packageVersion('packages/bench', pkg) };
    mkdirSync(join(modules, pkg), { recursive: true });
    writeFileSync(join(modules, pkg, 'package.json'), `${JSON.stringify(manifest)}\n`);
  }

  const loader = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';
  if (existsSync(loader)) xz(loader, join(lib, 'vulkan', 'libvulkan.so.1.xz'));
  else console.warn(`bundle: no ${loader} here (Debian: libvulkan1); the bundle will need the target's own`);

  if (node) xz(process.execPath, join(staging, 'node', 'node.xz'));

  cpSync(join(ROOT, 'tools/peer'), join(staging, 'tools/peer'), {
    recursive: true,
    filter: (path) => !path.includes('__pycache__'),
  });
  const templates = fileURLToPath(new URL('../bundle/', import.meta.url));
  for (const command of ['inv', 'inv-bench']) {
    cpSync(join(templates, 'launch.sh'), join(staging, command));
    chmodSync(join(staging, command), 0o755);
  }
  cpSync(join(templates, 'README.md'), join(staging, 'README.md'));
  cpSync(join(templates, 'compare'), join(staging, 'compare'), { recursive: true });

  const bytes = folderBytes(staging);
  if (bytes > MAX_BYTES) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(
      `bundle: ${(bytes / 2 ** 20).toFixed(1)} MiB, over the ${MAX_BYTES / 2 ** 20} MiB ceiling`,
    );
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(dirname(out), { recursive: true });
  renameSync(staging, out);
  console.log(
    `bundle: ${relative(process.cwd(), out) || '.'} (${(bytes / 2 ** 20).toFixed(1)} MiB${node ? ', with Node ' + process.version : ', no Node'})`,
  );
}

await bundle(parseArgs(process.argv.slice(2)));
