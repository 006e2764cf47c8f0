// What the experiment reports share: reading an `inv train` run folder, formatting numbers, writing a report
// atomically.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

async function readRunFile(run, file) {
  const path = resolve(run, file);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read it (${error.message}); runs are made by 'inv train --out DIR'`);
  }
}

/** A JSON file of the run folder `run`, with an error naming the file when it is missing or malformed. */
export async function readRunJson(run, file) {
  const text = await readRunFile(run, file);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${resolve(run, file)}: not JSON (${error.message})`);
  }
}

/**
 * A completed run: its settings (config.json), final metrics (metrics.json) and one record per epoch
 * (history.jsonl). A run that stopped early is an error naming it: only a completed one has test results.
 */
export async function readCompletedRun(run) {
  const config = await readRunJson(run, 'config.json');
  const metrics = await readRunJson(run, 'metrics.json');
  if (metrics.status !== 'completed')
    throw new Error(`${resolve(run)}: the run ${metrics.status}, it did not complete`);
  const history = (await readRunFile(run, 'history.jsonl'))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line);
      } catch (error) {
        throw new Error(`${resolve(run, 'history.jsonl')}: line ${i + 1} is not JSON (${error.message})`);
      }
    });
  return { dir: resolve(run), config, metrics, history };
}

export const percent = (x) => `${(x * 100).toFixed(1)}%`;
export const count = (n) => n.toLocaleString('en-US');

/** Writes `text` to `out` atomically (a reader never sees half a report), creating its folder. */
export async function writeReport(out, text) {
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.tmp`, text);
  await rename(`${out}.tmp`, out);
}
