// The in-browser benchmark: the registered involution kernel vs its stock-op composite vs tf.conv2d.
import { BENCH_SHAPES, shapeLabel } from '../benchmark/cases.js';
import { benchShape, type BenchRow } from '../benchmark/run.js';
import { startPageBackend } from './page_backend.js';
import { element, showError } from '../site/dom.js';
import { publish } from './hooks.js';

const shapeList = element('shapes', HTMLElement);
const callsInput = element('calls', HTMLInputElement);
const start = element('start', HTMLButtonElement);
const body = element('results', HTMLTableSectionElement);
const status = element('status', HTMLElement);
const errorBox = element('error', HTMLElement);

const checkboxes = BENCH_SHAPES.map((shape, i) => {
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = true;
  box.id = `shape-${i}`;
  label.append(box, ` ${shapeLabel(shape)}`);
  shapeList.append(label);
  return box;
});

function addRow(row: BenchRow): void {
  const tr = document.createElement('tr');
  for (const text of [row.shape, row.op, row.medianMs.toFixed(2), String(row.calls)]) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  body.append(tr);
}

async function run(backend: string): Promise<void> {
  const calls = Number(callsInput.value);
  if (!Number.isInteger(calls) || calls < 1)
    throw new Error(`calls per op must be a positive integer, got '${callsInput.value}'`);
  const rows: BenchRow[] = [];
  body.replaceChildren();
  publish({ benchmark: { done: false, rows } });
  const shapes = BENCH_SHAPES.filter((_, i) => checkboxes[i]!.checked);
  for (const [i, shape] of shapes.entries()) {
    status.textContent = `running ${shapeLabel(shape)} (${i + 1} of ${shapes.length}) on ${backend}…`;
    await benchShape(shape, calls, (row) => {
      rows.push(row);
      addRow(row);
    });
  }
  status.textContent = `done: ${rows.length} measurements on ${backend}`;
  publish({ benchmark: { done: true, rows } });
}

async function main(): Promise<void> {
  const selection = await startPageBackend(element('backend-badge', HTMLElement));
  start.disabled = false;
  start.addEventListener('click', () => {
    start.disabled = true;
    errorBox.hidden = true;
    run(selection.backend)
      .catch((error: unknown) => showError(errorBox, error))
      .finally(() => (start.disabled = false));
  });
}

main().catch((error: unknown) => showError(errorBox, error));
