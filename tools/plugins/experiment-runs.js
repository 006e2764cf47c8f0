// Nx inferred-targets plugin: one cached `train-NAME` target per run listed in an `experiment-runs.json`, so
// the list of research runs is data and the command that trains one is written once.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** @typedef {import('@nx/devkit').CreateNodes} CreateNodes */
/** @typedef {import('@nx/devkit').TargetConfiguration} TargetConfiguration */

/** Where the trainer reads CIFAR-10 unless INV_CIFAR10_DIR says otherwise. */
const DEFAULT_DATA_DIR = '../shared/datasets/cifar10/cifar-10-batches-bin';

/** Epochs of a full-profile run that does not set its own. */
const DEFAULT_EPOCHS = 20;

/**
 * The target that trains one run into `<project>/runs/<profile>/<name>`: the full profile by default (`epochs`
 * epochs), `-c smoke` for one epoch on 256 images on cpu (what `pnpm test` runs). A run's cache key is its
 * options, the trainer's code and the dataset checksum (the `run` named input of the project).
 * @param {string} projectRoot
 * @param {string} name
 * @param {{ args: readonly string[], epochs: number }} run
 * @returns {TargetConfiguration}
 */
function trainTarget(projectRoot, name, { args: trainerArgs, epochs }) {
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
      epochs,
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
 * Reads `{ recipes?: { RECIPE: [trainer arguments] }, runs: { NAME: RUN } }`, RUN being the trainer arguments,
 * or `{ recipe?: RECIPE, args: [...], epochs?: N }` (the recipe's arguments come first), failing with the file's
 * name and the run's on anything else.
 * @param {string} file
 * @returns {Record<string, { args: string[], epochs: number }>}
 */
function readRuns(file) {
  const { recipes = {}, runs } = JSON.parse(readFileSync(file, 'utf8'));
  const expected =
    'expected { "recipes"?: { "<recipe>": [trainer arguments] }, "runs": { "<name>": [trainer arguments] or ' +
    '{ "recipe"?: "<recipe>", "args": [...], "epochs"?: <positive integer> } } }';
  /** @param {unknown} args @returns {args is string[]} */
  const isArgs = (args) => Array.isArray(args) && args.every((a) => typeof a === 'string');
  /** @param {unknown} value @returns {value is Record<string, any>} */
  const isMap = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isMap(runs) || !isMap(recipes) || !Object.values(recipes).every(isArgs))
    throw new Error(`${file}: ${expected}`);
  return Object.fromEntries(
    Object.entries(runs).map(([name, run]) => {
      if (isArgs(run)) return [name, { args: run, epochs: DEFAULT_EPOCHS }];
      const { recipe, args, epochs = DEFAULT_EPOCHS } = isMap(run) ? run : {};
      const valid =
        isArgs(args) &&
        Number.isInteger(epochs) &&
        epochs > 0 &&
        Object.keys(run).every((key) => ['recipe', 'args', 'epochs'].includes(key));
      if (!valid) throw new Error(`${file}: run '${name}': ${expected}`);
      if (recipe !== undefined && !Object.hasOwn(recipes, recipe))
        throw new Error(
          `${file}: run '${name}': no recipe '${recipe}' (recipes: ${Object.keys(recipes).join(', ') || 'none'})`,
        );
      const all = [...(recipe === undefined ? [] : recipes[recipe]), ...args];
      if (all.includes('--epochs'))
        throw new Error(
          `${file}: run '${name}': give its epochs as "epochs", not as --epochs in its arguments`,
        );
      return [name, { args: all, epochs }];
    }),
  );
}

/** @type {CreateNodes} */
export const createNodes = [
  '**/experiment-runs.json',
  (files, _options, context) =>
    files.map((file) => {
      const projectRoot = dirname(file);
      const runs = readRuns(join(context.workspaceRoot, file));
      const targets = Object.fromEntries(
        Object.entries(runs).map(([name, run]) => [`train-${name}`, trainTarget(projectRoot, name, run)]),
      );
      return /** @type {const} */ ([file, { projects: { [projectRoot]: { targets } } }]);
    }),
];
