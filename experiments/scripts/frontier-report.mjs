// Writes the small-model frontier report (issue: ≥ 85% on CIFAR-10 with ≤ 319,178 parameters) to OUT: the
// headline runs (one model and recipe, several seeds: each run, the mean and the spread) and the ablation
// (the same recipe with other spatial mixers), from the run folders, with the figures named after --figures.
// --speeds takes a train bench report (`inv-bench --suite train --filter resinv --json FILE`): the images/s
// of one training step of each model, measured together on an idle machine, replace the runs' own, which
// depend on their thread counts and on what ran beside them.
//
//   node frontier-report.mjs OUT.md --headline RUN... --ablation RUN... [--figures FILE...] [--speeds FILE]
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { count, percent, readCompletedRun, writeReport } from './run_folders.mjs';

/** The parameter budget: the Keras seed's conv model. */
const MAX_PARAMS = 319_178;
const TARGET = 0.85;
const USAGE =
  'usage: node frontier-report.mjs OUT.md --headline RUN... [--ablation RUN...] [--figures FILE...] [--speeds BENCH.json]';

function parseArgs(argv) {
  const [out, ...rest] = argv;
  const lists = { '--headline': [], '--ablation': [], '--figures': [], '--speeds': [] };
  let current;
  for (const arg of rest) {
    if (arg in lists) current = lists[arg];
    else if (current === undefined) throw new Error(`${USAGE}\nunexpected '${arg}' before a list flag`);
    else current.push(arg);
  }
  if (out === undefined || out.startsWith('--') || lists['--headline'].length === 0) throw new Error(USAGE);
  if (lists['--speeds'].length > 1) throw new Error(`${USAGE}\n--speeds takes one bench report`);
  return {
    out,
    headline: lists['--headline'],
    ablation: lists['--ablation'],
    figures: lists['--figures'],
    speeds: lists['--speeds'][0],
  };
}

/**
 * The train bench's images/s by case (`model`, or `model/generator`) for `backend`, and how it ran; an error
 * naming the file when it is not a train bench report.
 */
async function readSpeeds(file) {
  let report;
  try {
    report = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`--speeds ${file}: cannot read a JSON bench report (${error.message})`);
  }
  if (report?.schema !== 'inv-bench/1' || report.suite !== 'train')
    throw new Error(
      `--speeds ${file}: expected a train bench report (inv-bench --suite train --json FILE), got suite '${report?.suite}'`,
    );
  const rows = report.results.filter((r) => r.status === 'ok' && r.impl === 'inv');
  return {
    imagesPerSecond: (config, backend) =>
      rows.find(
        (r) =>
          r.backend === backend &&
          r.case === (config.generator === undefined ? config.model : `${config.model}/${config.generator}`),
      )?.imagesPerSecond,
    source: `${basename(file)} (${report.environment.date.slice(0, 10)}, ${report.environment.engineThreads ?? '?'} engine threads, load ${report.environment.loadAverage[0]})`,
  };
}

/** The recipe flags of config.json that must agree across compared runs (everything but model, generator, seed). */
const RECIPE_KEYS = [
  'epochs',
  'batchSize',
  'optimizer',
  'lr',
  'lrSchedule',
  'warmupEpochs',
  'momentum',
  'nesterov',
  'weightDecay',
  'labelSmoothing',
  'augment',
  'cutout',
  'ema',
  'limit',
];
const recipeOf = (config) => JSON.stringify(RECIPE_KEYS.map((k) => config[k] ?? null));

function describeRecipe(config) {
  const parts = [
    `${config.optimizer} lr ${config.lr}`,
    config.weightDecay ? `decoupled weight decay ${config.weightDecay}` : undefined,
    `${config.lrSchedule ?? 'constant'} schedule`,
    config.warmupEpochs ? `${config.warmupEpochs} warm-up epochs` : undefined,
    config.labelSmoothing ? `label smoothing ${config.labelSmoothing}` : undefined,
    config.augment ? `crop + flip${config.cutout ? ` + cutout ${config.cutout}` : ''}` : 'no augmentation',
    config.ema ? `weight average (EMA ${config.ema})` : undefined,
    `batch ${config.batchSize}`,
    `${config.epochs} epochs`,
  ];
  return parts.filter((p) => p !== undefined).join(', ');
}

/** The accuracy a run is judged by: its weight average's where it kept one, else its raw weights'. */
const judged = ({ metrics }) => metrics.average_test_accuracy ?? metrics.test_accuracy;
const trainHours = ({ history }) => history.reduce((s, h) => s + h.seconds, 0) / 3600;
const bestAverage = ({ history }) =>
  history.reduce((best, h) => Math.max(best, h.average_val_accuracy ?? -Infinity), -Infinity);
const orDash = (x, format) => (x === undefined || x === null || !Number.isFinite(x) ? '—' : format(x));

function stats(values) {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

function runRow(run, first) {
  const { config, metrics } = run;
  const benched = speeds?.imagesPerSecond(config, metrics.backend);
  return [
    first(run),
    count(metrics.params.total),
    config.seed ?? '—',
    `${run.history.length}`,
    trainHours(run).toFixed(2),
    percent(metrics.test_accuracy),
    orDash(metrics.average_test_accuracy, percent),
    percent(metrics.best_test_accuracy),
    orDash(bestAverage(run), percent),
    benched === undefined
      ? `${Math.round(metrics.images_per_second)}${speeds ? ' †' : ''}`
      : Math.round(benched),
  ];
}

const HEADER = [
  '| run | parameters | seed | epochs | training hours | final test acc. (raw) | final (EMA) | best (raw) | best (EMA) | images/s |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
const tableRow = (cells) => `| ${cells.join(' | ')} |`;

const { out, headline, ablation, figures, speeds: speedsFile } = parseArgs(process.argv.slice(2));
const speeds = speedsFile === undefined ? undefined : await readSpeeds(speedsFile);
const heads = await Promise.all(headline.map(readCompletedRun));
const ablations = await Promise.all(ablation.map(readCompletedRun));
const models = new Set(heads.map((r) => r.config.model));
if (models.size > 1 || new Set(heads.map((r) => recipeOf(r.config))).size > 1)
  throw new Error(`the headline runs differ in more than their seed: ${heads.map((r) => r.dir).join(', ')}`);
const recipe = heads[0].config;
const differing = ablations.filter((r) => recipeOf(r.config) !== recipeOf(recipe));
const stat = stats(heads.map(judged));
const params = heads[0].metrics.params.total;

const lines = [
  '# Involution at the small-model frontier: CIFAR-10',
  '',
  `Headline model \`${recipe.model}\` (${count(params)} parameters; budget ${count(MAX_PARAMS)}, the Keras seed's conv model), ` +
    `trained on the ${heads[0].metrics.backend} backend with ${describeRecipe(recipe)}. Test accuracy on the 10,000 ` +
    'CIFAR-10 test images; "EMA" is the weight average, the accuracy a run is judged by where it kept one. ' +
    "Training hours sum the epochs' training steps (evaluation excluded). " +
    (speeds === undefined
      ? "Images/s are each run's own (its engine threads, and whatever ran beside it)."
      : `Images/s: one training step at the recipe's batch, every model in one bench run, ${speeds.source}; † the run's own.`),
  '',
  `## Headline: ${heads.length} seed${heads.length === 1 ? '' : 's'}`,
  '',
  ...HEADER,
  ...heads.map((run) => tableRow(runRow(run, (r) => `\`${basename(r.dir)}\``))),
  '',
  `Mean ${percent(stat.mean)}, standard deviation ${(stat.sd * 100).toFixed(2)} points, range ` +
    `${percent(stat.min)}–${percent(stat.max)} over ${heads.length} seed${heads.length === 1 ? '' : 's'}: ` +
    `target ≥ ${percent(TARGET)} over 3 seeds ${heads.length >= 3 && stat.mean >= TARGET ? 'met' : heads.length < 3 ? 'not yet measured (fewer than 3 seeds)' : 'missed'}; ` +
    `parameters ${params <= MAX_PARAMS ? 'within' : 'over'} the budget.`,
  '',
];
if (ablations.length > 0) {
  lines.push(
    '## Ablation: the spatial mixer',
    '',
    'The same backbone and recipe with each spatial mixer (`resinv`: involution, `resinv-linear`: involution ' +
      'with the linear generator, both started static, `resinv-dw`: depthwise 3×3, ' +
      '`resinv-conv`: full 3×3 convolution, widths matched to the parameter budget; `--generator` picks the ' +
      "involution's kernel generator).",
    '',
    ...HEADER.map((h, i) =>
      i === 0
        ? h.replace('| run |', '| run | model | generator |')
        : h.replace('| --- |', '| --- | --- | --- |'),
    ),
    ...ablations.map((run) => {
      const [name, ...rest] = runRow(run, (r) => `\`${basename(r.dir)}\``);
      return tableRow([name, `\`${run.config.model}\``, run.config.generator ?? 'default', ...rest]);
    }),
    '',
  );
  if (differing.length > 0)
    lines.push(
      `Recipe differs from the headline's in: ${differing.map((r) => `\`${basename(r.dir)}\` (${describeRecipe(r.config)})`).join('; ')}.`,
      '',
    );
}
if (figures.length > 0) {
  lines.push('## Figures', '', ...figures.map((f) => `![${basename(f)}](${basename(f)})`), '');
}
await writeReport(out, lines.join('\n'));
console.log(`wrote ${out} (${heads.length} headline, ${ablations.length} ablation runs)`);
