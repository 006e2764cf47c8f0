import { curvesFigure, type CurveRun, type Scene } from '@inv/viz';
import { basename, resolve } from 'node:path';
import type { PlotArgs } from '../args.js';
import { readHistory } from '../run/run_dir.js';
import { checkFigurePath, writeFigure } from './figure_file.js';

/** The loss and accuracy curves of runs, each named by its directory (its path when two share a name). */
export async function curvesOfRuns(runs: readonly string[], logLoss = false): Promise<Scene> {
  const names = runs.map((run) => basename(resolve(run)));
  const curves: CurveRun[] = [];
  for (const [i, run] of runs.entries()) {
    const history = await readHistory(resolve(run));
    if (history.length === 0)
      throw new Error(`--runs ${resolve(run)} has no finished epoch (history.jsonl is missing or empty)`);
    const unique = names.indexOf(names[i]!) === names.lastIndexOf(names[i]!);
    curves.push({ name: unique ? names[i]! : run, history });
  }
  return await curvesFigure(curves, { logLoss });
}

/** `inv plot`: loss and accuracy of one or more runs side by side, as PNG, SVG or PDF. */
export async function plotCommand(args: PlotArgs, log: (line: string) => void): Promise<void> {
  checkFigurePath(args.out);
  await writeFigure(args.out, await curvesOfRuns(args.runs, args.logLoss), args.scale);
  log(`wrote ${resolve(args.out)}`);
}
