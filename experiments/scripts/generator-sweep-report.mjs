// Writes the generator sweep's report to argv[2]: one Markdown table row per run directory given after it
// (each an `inv train` run of seed-inv with its own --generator), from the run's config.json and metrics.json.
import { count, percent, readCompletedRun, writeReport } from './run_folders.mjs';

const [out, ...runs] = process.argv.slice(2);
if (out === undefined || runs.length === 0)
  throw new Error('usage: node generator-sweep-report.mjs OUT_FILE RUN_DIR...');

const rows = await Promise.all(runs.map(readCompletedRun));
const first = rows[0];
const settings = new Set(
  rows.map(({ config, metrics }) =>
    JSON.stringify([config.model, config.epochs, config.limit, metrics.backend]),
  ),
);
// A table is only a comparison of generators when everything else was the same.
if (settings.size > 1)
  throw new Error(
    `the runs differ in more than their generator (model, epochs, limit, backend): ${[...settings].join(' ')}`,
  );
const { epochs, limit, batchSize, optimizer, lr, seed } = first.config;
const markdown = [
  `# ${first.config.model}: kernel generators on CIFAR-10`,
  '',
  `Each run trained ${epochs} epoch${epochs === 1 ? '' : 's'} with ${optimizer} (lr ${lr}), batch ${batchSize}, seed ${seed}, ` +
    `on the ${first.metrics.backend} backend, ` +
    (limit === undefined || limit === null
      ? 'on the full training set; tested on the 10,000 test images.'
      : `on the first ${count(limit)} training and test images.`),
  '',
  '| generator | parameters | trainable | test accuracy (final) | best | images/s |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    ({ config, metrics: m }) =>
      `| ${config.generator ?? "the model's default"} | ${count(m.params.total)} | ${count(m.params.trainable)} | ${percent(m.test_accuracy)} | ${percent(m.best_test_accuracy)} | ${Math.round(m.images_per_second)} |`,
  ),
  '',
].join('\n');

await writeReport(out, markdown);
console.log(`wrote ${out} (${rows.length} runs)`);
