// Nx inferred-targets plugin: one cached `train-NAME` target per run listed in an `experiment-runs.json`, so
// the list of research runs is data and the command that trains one is written once.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** @typedef {import('@nx/devkit').CreateNodes} CreateNodes */
/** @typedef {import('@nx/devkit').TargetConfiguration} TargetConfiguration */

/** Where the trainer reads CIFAR-10 unless INV_CIFAR10_DIR says otherwise. */
const DEFAULT_DATA_DIR = '../shared/datasets/cifar10/cifar-10-batches-bin';

/**
 * The target that trains one run into `<project>/runs/<profile>/<name>`: the full profile by default, `-c smoke`
 * for one epoch on 256 images on cpu (what `pnpm test` runs). A run's cache key is its options, the trainer's
 * code and the dataset checksum (the `run` named input of the project).
 * @param {string} projectRoot
 * @param {string} name
 * @param {readonly string[]} trainerArgs
 * @returns {TargetConfiguration}
 */
function trainTarget(projectRoot, name, trainerArgs) {
  const out = `${projectRoot}/runs/{args.profile}/${name}`;
  const train = [
    'node apps/trainer/dist/cli.js train',
    ...trainerArgs,
    '--epochs {args.epochs} --limit {args.limit} --backend {args.backend}',
    `--data-dir "\${INV_CIFAR10_DIR:-${DEFAULT_DATA_DIR}}"`,
    `--out ${out}`,
  ].join(' ');
  return {
    executor: 'nx:run-commands',
    dependsOn: ['data', '^build'],
    cache: true,
    inputs: ['run', '^production'],
    outputs: [`{projectRoot}/runs/{options.profile}/${name}`],
    options: {
      forwardAllArgs: false,
      profile: 'full',
      epochs: 20,
      limit: 50000,
      backend: 'auto',
      // A cached run is replayed whole: start from an empty folder, never resume a stale one.
      command: `rm -rf ${out} && ${train}`,
    },
    configurations: {
      smoke: { profile: 'smoke', epochs: 1, limit: 256, backend: 'cpu' },
    },
  };
}

/**
 * Reads `{ runs: { NAME: [trainer arguments] } }`, failing with the file's name on anything else.
 * @param {string} file
 * @returns {Record<string, string[]>}
 */
function readRuns(file) {
  const { runs } = JSON.parse(readFileSync(file, 'utf8'));
  const valid =
    typeof runs === 'object' &&
    runs !== null &&
    Object.values(runs).every((args) => Array.isArray(args) && args.every((a) => typeof a === 'string'));
  if (!valid) throw new Error(`${file}: expected { "runs": { "<name>": ["--model", "<model>", ...] } }`);
  return runs;
}

/** @type {CreateNodes} */
export const createNodes = [
  '**/experiment-runs.json',
  (files, _options, context) =>
    files.map((file) => {
      const projectRoot = dirname(file);
      const runs = readRuns(join(context.workspaceRoot, file));
      const targets = Object.fromEntries(
        Object.entries(runs).map(([name, args]) => [`train-${name}`, trainTarget(projectRoot, name, args)]),
      );
      return /** @type {const} */ ([file, { projects: { [projectRoot]: { targets } } }]);
    }),
];
