// Training curves: runs' history.jsonl picked by the visitor, drawn live by Vega from @inv/viz's spec.
import { drawCurves, type CurveRun } from '@inv/viz/browser';
import { readRuns } from '../curves/history_file.js';
import { element, showError } from '../site/dom.js';
import { publish } from './hooks.js';

const filesInput = element('files', HTMLInputElement);
const foldersInput = element('folders', HTMLInputElement);
const logLoss = element('log-loss', HTMLInputElement);
const status = element('status', HTMLElement);
const errorBox = element('error', HTMLElement);
const figure = element('curves', HTMLElement);

let shown: CurveRun[] = [];
let freeView: (() => void) | undefined;

async function draw(): Promise<void> {
  freeView?.();
  freeView = undefined;
  figure.replaceChildren();
  if (shown.length === 0) return;
  freeView = await drawCurves(figure, shown, { logLoss: logLoss.checked });
  publish({ curves: { runs: shown.map((run) => run.name), logLoss: logLoss.checked } });
}

async function pick(input: HTMLInputElement): Promise<void> {
  errorBox.hidden = true;
  try {
    const { runs, notes } = await readRuns(Array.from(input.files ?? []));
    shown = runs;
    status.textContent = [
      `${runs.length} run${runs.length === 1 ? '' : 's'}: ${runs.map((r) => `${r.name} (${r.history.length} epochs)`).join(', ')}`,
      ...notes,
    ].join('. ');
    await draw();
  } catch (error) {
    showError(errorBox, error);
  }
}

for (const input of [filesInput, foldersInput]) input.addEventListener('change', () => void pick(input));
logLoss.addEventListener('change', () => void draw().catch((error: unknown) => showError(errorBox, error)));
