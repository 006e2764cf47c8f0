/**
 * `inv verify`: checks a run folder end to end — config.json, each checkpoint manifest and the hashes, sizes
 * and finiteness of the files it names, history.jsonl, metrics.json, the data's fingerprint — and that they
 * agree with each other. Each problem names the file and what was expected.
 */
import { parameterCounts } from '@inv/models';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { VerifyArgs } from '../args.js';
import { TEMP_MARKER } from '../run/atomic.js';
import {
  CHECKPOINT_NAMES,
  checkSameRun,
  loadCheckpoint,
  manifestPath,
  type LoadedCheckpoint,
  disposeCheckpoint,
} from '../run/checkpoint.js';
import { CONFIG_FILE, readRunConfig, type RunConfig } from '../run/config.js';
import { checkDataFiles, runSplits } from '../run/data_files.js';
import { readJsonFile, readOptionalRunFile } from '../run/files.js';
import {
  checkHistoryDigest,
  HISTORY_FILE,
  readHistoryFile,
  type EpochRecord,
  type HistoryFile,
} from '../run/run_dir.js';

export interface VerifyReport {
  runDir: string;
  /** What was checked and found right. */
  ok: string[];
  /** What is wrong, each naming its file. */
  problems: string[];
}

type ParameterCounts = ReturnType<typeof parameterCounts>;

type Outcome<T> = { passed: true; value: T } | { passed: false };

/** Runs `check`, recording its message as a problem when it throws. */
async function attempt<T>(problems: string[], check: () => Promise<T> | T): Promise<Outcome<T>> {
  try {
    return { passed: true, value: await check() };
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
    return { passed: false };
  }
}

/** history.jsonl against the checkpoints: epochs 1..n in order, n = the latest's, and what it recorded of them. */
function historyProblems(runDir: string, history: HistoryFile, latest: LoadedCheckpoint | null): string[] {
  const path = join(runDir, HISTORY_FILE);
  const problems: string[] = [];
  const { records } = history;
  if (history.tornLastLine)
    problems.push(
      `${path}: the last line is incomplete (a crash while appending); 'inv train --resume' recovers it`,
    );
  const gap = records.findIndex((r, i) => r.epoch !== i + 1);
  if (gap >= 0)
    problems.push(
      `${path}: record ${gap + 1} is of epoch ${records[gap]!.epoch}; expected epochs 1, 2, 3... in order`,
    );
  const epochs = latest?.state.epoch ?? 0;
  if (records.length > epochs)
    problems.push(
      `${path} has ${records.length} epochs but the latest checkpoint is after epoch ${epochs} (a crash between the two); 'inv train --resume' redoes the rest`,
    );
  if (latest) {
    try {
      checkHistoryDigest(runDir, records.slice(0, epochs), latest.state.historySha256, latest.manifest.dir);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

/** The two manifests against each other and the run: each present when an epoch finished, best not ahead. */
function checkpointProblems(
  runDir: string,
  latest: LoadedCheckpoint | null,
  best: LoadedCheckpoint | null,
  finishedEpochs: number,
): string[] {
  const problems: string[] = [];
  if (latest === null && finishedEpochs > 0)
    problems.push(
      `${manifestPath(runDir, 'latest')} is missing, but history.jsonl has ${finishedEpochs} finished epoch(s)`,
    );
  if (best === null && (latest?.state.epoch ?? 0) > 0)
    problems.push(
      `${manifestPath(runDir, 'best')} is missing, but the latest checkpoint is after epoch ${latest!.state.epoch}`,
    );
  if (best && latest) {
    if (best.state.epoch > latest.state.epoch)
      problems.push(
        `${manifestPath(runDir, 'best')} is of epoch ${best.state.epoch}, after the latest (${latest.state.epoch})`,
      );
    else if (best.state.bestValAccuracy !== latest.state.bestValAccuracy)
      problems.push(
        `${manifestPath(runDir, 'best')} (${best.manifest.dir}) has test accuracy ${best.state.bestValAccuracy}; the latest checkpoint says the best is ${latest.state.bestValAccuracy} (a crash between writing latest.json and best.json: 'inv train --resume' repairs it)`,
      );
  }
  return problems;
}

/** metrics.json of a run that finished: present, and its figures those of config.json and history.jsonl. */
function metricsProblems(
  path: string,
  metrics: Record<string, unknown> | null,
  config: RunConfig,
  records: EpochRecord[],
  latest: LoadedCheckpoint | null,
  params: ParameterCounts | undefined,
): string[] {
  const finished = latest !== null && latest.state.epoch >= config.epochs;
  if (metrics === null)
    return finished
      ? [`${path} is missing though all ${config.epochs} epochs finished; 'inv train --resume' writes it`]
      : [];
  const status = metrics['status'];
  if (status === 'diverged' && !finished) return [];
  if (status !== 'completed')
    return [
      `${path}: 'status' is ${JSON.stringify(status)}; expected ${finished ? "'completed' (all epochs finished)" : "'completed' or 'diverged'"}`,
    ];
  const last = records[records.length - 1];
  const expected: Record<string, unknown> = {
    model: config.model,
    generator: config.generator,
    epochs: config.epochs,
    test_accuracy: last?.val_accuracy,
    test_loss: last?.val_loss,
    best_test_accuracy: latest?.state.bestValAccuracy,
    average_test_accuracy: last?.average_val_accuracy,
    params,
    images_per_second: records.reduce((sum, r) => sum + r.images_per_second, 0) / Math.max(records.length, 1),
  };
  return Object.entries(expected)
    .filter(([key, value]) => JSON.stringify(metrics[key]) !== JSON.stringify(value))
    .map(
      ([key, value]) =>
        `${path}: '${key}' is ${JSON.stringify(metrics[key])}; config.json, history.jsonl and the latest checkpoint (checkpoints/latest.json) say ${JSON.stringify(value)}`,
    );
}

export async function verifyRun(run: string): Promise<VerifyReport> {
  const runDir = resolve(run);
  const ok: string[] = [];
  const problems: string[] = [];
  const configPath = join(runDir, CONFIG_FILE);
  const config = await attempt(problems, () => readRunConfig(runDir));
  if (config.passed)
    ok.push(`${configPath}: the settings of a ${config.value.epochs}-epoch ${config.value.model} run`);

  const loaded: Record<string, LoadedCheckpoint | null> = {};
  let latestParams: ParameterCounts | undefined;
  for (const name of CHECKPOINT_NAMES) {
    const checkpoint = await attempt(problems, () => loadCheckpoint(runDir, name));
    loaded[name] = checkpoint.passed ? checkpoint.value : null;
    if (!checkpoint.passed || checkpoint.value === null) continue;
    if (name === 'latest') latestParams = parameterCounts(checkpoint.value.model);
    disposeCheckpoint(checkpoint.value);
    const same = config.passed
      ? await attempt(problems, () => checkSameRun(config.value, configPath, checkpoint.value!))
      : config;
    if (same.passed)
      ok.push(
        `${manifestPath(runDir, name)} → ${checkpoint.value.manifest.dir}: hashes match, weights finite`,
      );
  }
  const [latest, best] = [loaded['latest'] ?? null, loaded['best'] ?? null];
  const history = await attempt(problems, () => readHistoryFile(runDir));
  const records = history.passed ? history.value.records : [];
  problems.push(...checkpointProblems(runDir, latest, best, records.length));
  if (history.passed) {
    const found = historyProblems(runDir, history.value, latest);
    problems.push(...found);
    if (found.length === 0)
      ok.push(`${join(runDir, HISTORY_FILE)}: ${records.length} epochs, as the checkpoints recorded`);
  }
  const metricsPath = join(runDir, 'metrics.json');
  const metrics = await attempt(problems, async () =>
    (await readOptionalRunFile(metricsPath, 'the metrics of a run')) === null
      ? null
      : ((await readJsonFile(metricsPath, 'the metrics of a run')) as Record<string, unknown>),
  );
  if (metrics.passed && config.passed)
    problems.push(
      ...metricsProblems(metricsPath, metrics.value, config.value, records, latest, latestParams),
    );

  if (config.passed && config.value.dataSha256 !== undefined) {
    const { dataDir, limit, dataSha256 } = config.value;
    const data = await attempt(problems, () =>
      checkDataFiles(dataDir, runSplits(limit), dataSha256).catch((error: unknown) => {
        throw new Error(`${(error as Error).message} (the data folder ${configPath} records)`);
      }),
    );
    if (data.passed) ok.push(`${dataDir ?? 'the data'}: the files the run was trained on`);
  }
  const entries = await readdir(join(runDir, 'checkpoints')).catch(() => [] as string[]);
  const leftovers = entries.filter((e) => e.includes(TEMP_MARKER));
  if (leftovers.length > 0)
    ok.push(
      `${join(runDir, 'checkpoints')}: ${leftovers.length} temporary file(s) a crash left; the next checkpoint removes them`,
    );
  return { runDir, ok, problems };
}

/** Prints the report; true when the run has no problem. */
export async function verifyCommand(args: VerifyArgs, log: (line: string) => void): Promise<boolean> {
  const report = await verifyRun(args.run);
  for (const line of report.ok) log(`ok       ${line}`);
  for (const line of report.problems) log(`PROBLEM  ${line}`);
  log(
    report.problems.length === 0
      ? `${report.runDir}: no problem found`
      : `${report.runDir}: ${report.problems.length} problem(s)`,
  );
  return report.problems.length === 0;
}
