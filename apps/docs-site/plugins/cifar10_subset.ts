import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCifar10 } from '@inv/data';
import type { Plugin } from 'vite';
import { encodeSubset, subsetBytes, type SubsetInfo } from '../src/train/subset_format.js';

/** The virtual module the Train page imports: the subset's {@link SubsetInfo}, or undefined when not built. */
export const SUBSET_MODULE = 'virtual:inv-cifar10-subset';
const RESOLVED = `\0${SUBSET_MODULE}`;
/** Where the asset lands in the build output (pages are at its root, so `./` + this is their URL for it). */
const FILE = 'data/cifar10-subset.bin';

/** The dataset beside the repository, where the trainer and the experiments read it too. */
const SHARED_CIFAR10 = fileURLToPath(
  new URL('../../../../shared/datasets/cifar10/cifar-10-batches-bin', import.meta.url),
);

/**
 * The CIFAR-10 folder the site's subset is built from: `INV_CIFAR10_DIR`, else `../shared/datasets/…` beside
 * the repository where it exists (as on CI), else none.
 */
export function cifar10Dir(): string | undefined {
  const fromEnv = process.env['INV_CIFAR10_DIR'];
  if (fromEnv) return fromEnv;
  return existsSync(SHARED_CIFAR10) ? SHARED_CIFAR10 : undefined;
}

/**
 * Builds a CIFAR-10 subset into the site when `dir` (INV_CIFAR10_DIR) is set: the first `train` training and
 * `test` test images of the official files, as one uint8 asset (never committed: it exists only in `dist/`).
 * Without `dir` the module exports undefined and the Train page asks for the visitor's own copy.
 */
export function cifar10Subset(options: { dir: string | undefined; train: number; test: number }): Plugin {
  const { dir, train, test } = options;
  let building = false;
  return {
    name: 'inv-cifar10-subset',
    configResolved(config) {
      building = config.command === 'build';
    },
    resolveId: (id) => (id === SUBSET_MODULE ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      const info: SubsetInfo | undefined =
        dir && building ? { url: `./${FILE}`, train, test, bytes: subsetBytes(train, test) } : undefined;
      return `export const CIFAR10_SUBSET = ${JSON.stringify(info)};`;
    },
    async generateBundle() {
      if (!dir) return;
      const [trainSplit, testSplit] = await Promise.all([
        loadCifar10({ dir, split: 'train', limit: train }),
        loadCifar10({ dir, split: 'test', limit: test }),
      ]);
      this.emitFile({ type: 'asset', fileName: FILE, source: encodeSubset(trainSplit, testSplit) });
    },
  };
}
