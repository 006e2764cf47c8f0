// The Train page: a model of @inv/models trained on CIFAR-10 in the page, its curves and kernel heatmaps drawn
// as it learns, a confusion matrix at the end, and the model downloadable for `inv evaluate --model-dir`.
import * as tf from '@tensorflow/tfjs';
import { listKernelGenerators } from '@inv/core';
// Its `softmax` generator is offered, and a run trained with it loads.
import '@inv/generator-attention';
import { NUM_CLASSES, type Progress } from '@inv/data/browser';
import { createModel, listModels } from '@inv/models';
import { drawCurves, drawToCanvas, kernelSource, type CurveRun, type KernelModel } from '@inv/viz/browser';
import { CIFAR10_SUBSET } from 'virtual:inv-cifar10-subset';
import { element, fillSelect, showError } from '../site/dom.js';
import { confusionMatrix, confusionTable } from '../train/confusion.js';
import { droppedFiles, loadBuiltIn, loadOwn, type LoadedData } from '../train/data_source.js';
import { fixedImages, kernelFigure } from '../train/heatmaps.js';
import { downloadFiles, modelFiles, type InvModelMeta } from '../train/model_files.js';
import { openRunFolder } from '../train/run_folder.js';
import { headOf, TrainingSession, type TrainSettings } from '../train/session.js';
import type { TrainSnapshot } from '../train/snapshot.js';
import { publish } from './hooks.js';
import { startPageBackend } from './page_backend.js';

/** The models offered: the two of the issue's seed experiments, and the best small ones (heavier). */
const MODELS = ['seed-inv', 'inv-separable', 'inv-separable-deep', 'resinv'] as const;
const DEFAULT_GENERATOR = "the model's own";
/** Test images whose kernels are drawn after each epoch: the first of each of these many classes. */
const HEATMAP_IMAGES = 4;

const badge = element('backend-badge', HTMLElement);
const dropZone = element('drop-zone', HTMLElement);
const dataStatus = element('data-status', HTMLElement);
const archiveInput = element('archive-file', HTMLInputElement);
const folderInput = element('data-folder', HTMLInputElement);
const progressBar = element('data-progress', HTMLProgressElement);
const modelSelect = element('model', HTMLSelectElement);
const generatorSelect = element('generator', HTMLSelectElement);
const epochsInput = element('epochs', HTMLInputElement);
const batchInput = element('batch-size', HTMLInputElement);
const lrInput = element('lr', HTMLInputElement);
const imagesInput = element('train-images', HTMLInputElement);
const pointsSelect = element('points', HTMLSelectElement);
const startButton = element('start', HTMLButtonElement);
const pauseButton = element('pause', HTMLButtonElement);
const stopButton = element('stop', HTMLButtonElement);
const downloadButton = element('download', HTMLButtonElement);
const runFolderInput = element('run-folder', HTMLInputElement);
const about = element('model-about', HTMLElement);
const errorBox = element('error', HTMLElement);
const status = element('train-status', HTMLElement);
const curvesBox = element('curves', HTMLElement);
const heatmapCanvas = element('heatmaps', HTMLCanvasElement);
const confusionBox = element('confusion', HTMLElement);

let snapshot: TrainSnapshot = {
  data: undefined,
  state: 'idle',
  stepLosses: [],
  history: [],
  imagesPerSecond: 0,
  tensorsAfterEpoch: [],
  curvesDrawn: 0,
  heatmapsDrawn: 0,
  final: undefined,
  openedRun: undefined,
};
function update(change: Partial<TrainSnapshot>): void {
  snapshot = { ...snapshot, ...change };
  publish({ train: snapshot });
}

let data: LoadedData | undefined;
let backend = '';
let session: TrainingSession | undefined;
/** The last trained model and what it was, for the download. */
let trained: { model: tf.LayersModel; meta: InvModelMeta } | undefined;
let freeCurves: (() => void) | undefined;
/** The current session's kernel model (a twin, for most models), freed with it. */
let sessionKernels: Awaited<ReturnType<typeof kernelSource>>;
const report = (error: unknown) => showError(errorBox, error);

/** A number input's value, checked: an error names the field and the range. */
function numberOf(input: HTMLInputElement, label: string, integer: boolean): number {
  const value = Number(input.value);
  const min = Number(input.min);
  const max = input.max === '' ? Infinity : Number(input.max);
  if (
    input.value.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  )
    throw new Error(
      `${label} '${input.value}' is not valid; expected ${integer ? 'an integer' : 'a number'} from ${min}${max === Infinity ? '' : ` to ${max}`}`,
    );
  return value;
}

function settings(): TrainSettings {
  return {
    model: modelSelect.value,
    generator: generatorSelect.value === DEFAULT_GENERATOR ? undefined : generatorSelect.value,
    epochs: numberOf(epochsInput, 'epochs', true),
    batchSize: numberOf(batchInput, 'batch size', true),
    lr: numberOf(lrInput, 'learning rate', false),
    trainImages: numberOf(imagesInput, 'training images', true),
    pointsPerEpoch: Number(pointsSelect.value),
    seed: 42,
  };
}

function describeModel(): void {
  const entry = listModels().find((m) => m.name === modelSelect.value);
  about.textContent = entry === undefined ? '' : `${entry.name}: ${entry.description}.`;
}

function setButtons(): void {
  const state = session?.current;
  const busy = state === 'running' || state === 'paused';
  startButton.disabled = data === undefined || busy;
  pauseButton.disabled = !busy;
  pauseButton.textContent = state === 'paused' ? 'resume' : 'pause';
  stopButton.disabled = !busy;
  downloadButton.disabled = trained === undefined || state === 'running';
  for (const input of [
    modelSelect,
    generatorSelect,
    epochsInput,
    batchInput,
    lrInput,
    imagesInput,
    pointsSelect,
  ])
    input.disabled = busy;
}

async function showCurves(runs: CurveRun[]): Promise<void> {
  freeCurves?.();
  freeCurves = await drawCurves(curvesBox.appendChild(document.createElement('div')), runs);
  // Drawn into a fresh child, then the old one removed: no blank flash between redraws.
  while (curvesBox.children.length > 1) curvesBox.firstElementChild!.remove();
  update({ curvesDrawn: snapshot.curvesDrawn + 1 });
}

async function showHeatmaps(kernels: KernelModel, test: LoadedData['test']): Promise<void> {
  const scene = await kernelFigure(kernels, test, fixedImages(test, HEATMAP_IMAGES), 64);
  drawToCanvas(scene, heatmapCanvas);
  heatmapCanvas.hidden = false;
  update({ heatmapsDrawn: snapshot.heatmapsDrawn + 1 });
}

// ---- data ----

function showProgress(progress: Progress): void {
  progressBar.hidden = false;
  progressBar.value = progress.total === undefined ? 0 : progress.loaded / progress.total;
}

async function useData(load: Promise<LoadedData>): Promise<void> {
  errorBox.hidden = true;
  progressBar.value = 0;
  try {
    const loaded = await load;
    data = loaded;
    dataStatus.textContent = `Loaded ${loaded.source}. ${loaded.verified}`.trim();
    imagesInput.max = String(loaded.train.size);
    if (Number(imagesInput.value) > loaded.train.size) imagesInput.value = String(loaded.train.size);
    update({ data: { source: loaded.source, train: loaded.train.size, test: loaded.test.size } });
    status.textContent = 'Ready: pick a model and start.';
  } catch (error) {
    dataStatus.textContent = data === undefined ? 'No data loaded.' : `Still using ${data.source}.`;
    report(error);
  } finally {
    progressBar.hidden = true;
    setButtons();
  }
}

function useOwn(files: File[]): void {
  if (files.length === 0) return;
  if (session?.current === 'running' || session?.current === 'paused') {
    report(new Error('stop the training before loading other data'));
    return;
  }
  dataStatus.textContent = `Reading ${files.length === 1 ? files[0]!.name : `${files.length} files`}…`;
  void useData(loadOwn(files, showProgress));
}

archiveInput.addEventListener('change', () => useOwn(Array.from(archiveInput.files ?? [])));
folderInput.addEventListener('change', () => useOwn(Array.from(folderInput.files ?? [])));
// A drop anywhere on the page counts (a browser would otherwise open the dropped file in place of the page).
document.addEventListener('dragover', (event) => {
  event.preventDefault();
  dropZone.classList.add('dragging');
});
document.addEventListener('dragleave', (event) => {
  if (event.relatedTarget === null) dropZone.classList.remove('dragging');
});
document.addEventListener('drop', (event) => {
  event.preventDefault();
  dropZone.classList.remove('dragging');
  if (event.dataTransfer === null) return;
  droppedFiles(event.dataTransfer).then(useOwn, report);
});

// ---- training ----

async function train(): Promise<void> {
  if (data === undefined) return;
  errorBox.hidden = true;
  const picked = settings();
  const trainData = headOf(data.train, picked.trainImages);
  const test = data.test;
  trained = undefined;
  // Published before any await: a reader never sees the previous session's figures as this one's.
  const stepLosses: number[] = [];
  const tensorsAfterEpoch: number[] = [];
  update({
    state: 'running',
    stepLosses,
    tensorsAfterEpoch,
    history: [],
    final: undefined,
    openedRun: undefined,
  });
  startButton.disabled = true;
  confusionBox.replaceChildren(
    Object.assign(document.createElement('p'), {
      className: 'note',
      textContent: 'Drawn on the test images when training ends.',
    }),
  );
  session?.dispose();
  session?.model.dispose();
  session = undefined;
  sessionKernels?.dispose();
  sessionKernels = undefined;
  let model: tf.LayersModel;
  let source: Awaited<ReturnType<typeof kernelSource>>;
  try {
    model = createModel(picked.model, {
      seed: picked.seed,
      ...(picked.generator === undefined ? {} : { generator: picked.generator }),
    });
    source = await kernelSource(model);
    sessionKernels = source;
  } catch (error) {
    update({ state: 'idle' });
    setButtons();
    throw error;
  }
  const started = performance.now();
  session = new TrainingSession(model, picked, trainData, test, {
    onStep(info) {
      stepLosses.push(info.loss);
      status.textContent = `epoch ${info.epoch}/${picked.epochs}, step ${info.step}/${info.steps} · loss ${info.loss.toFixed(3)} · ${info.stepMs.toFixed(0)} ms/step · ${info.imagesPerSecond.toFixed(0)} images/s`;
      update({ stepLosses, imagesPerSecond: info.imagesPerSecond });
    },
    async onPoint(history, evaluation) {
      update({ history: [...history] });
      about.textContent = `test accuracy ${(evaluation.accuracy * 100).toFixed(1)}% on ${test.size.toLocaleString('en-US')} images after ${history.at(-1)!.epoch.toFixed(2)} epochs`;
      await showCurves([{ name: picked.model, history: [...history] }]);
    },
    async onEpoch() {
      if (source !== undefined) {
        source.sync();
        await showHeatmaps(source.kernels, test);
      }
      tensorsAfterEpoch.push(tf.memory().numTensors);
      update({ tensorsAfterEpoch });
    },
    onState(state) {
      update({ state });
      setButtons();
    },
  });
  setButtons();
  if (source === undefined) heatmapCanvas.hidden = true;
  else await showHeatmaps(source.kernels, test);
  try {
    const final = await session.run();
    const matrix = confusionMatrix(test.labels, final.predictions, NUM_CLASSES);
    confusionBox.replaceChildren(confusionTable(matrix, test.classNames));
    const seconds = (performance.now() - started) / 1000;
    status.textContent = `${session.current === 'stopped' ? 'Stopped' : 'Finished'} after ${snapshot.stepLosses.length} steps (${seconds.toFixed(0)} s, ${snapshot.imagesPerSecond.toFixed(0)} images/s while training): test accuracy ${(final.accuracy * 100).toFixed(1)}%, test loss ${final.loss.toFixed(3)}.`;
    trained = {
      model,
      meta: {
        format: 'inv-model',
        version: 1,
        model: picked.model,
        generator: picked.generator,
        classNames: test.classNames,
        normalization: 'scale',
        epochs: snapshot.history.at(-1)?.epoch ?? 0,
        batchSize: picked.batchSize,
        lr: picked.lr,
        trainImages: trainData.size,
        testImages: test.size,
        testAccuracy: final.accuracy,
        testLoss: final.loss,
        backend,
        source: `trained in the inv docs site's Train page on ${data.source}`,
      },
    };
    update({
      final: {
        loss: final.loss,
        accuracy: final.accuracy,
        predictions: Array.from(final.predictions),
        confusion: matrix,
      },
    });
  } finally {
    setButtons();
  }
}

startButton.addEventListener('click', () => void train().catch(report));
pauseButton.addEventListener('click', () => {
  if (session?.current === 'paused') session.resume();
  else session?.pause();
});
stopButton.addEventListener('click', () => session?.stop());
downloadButton.addEventListener('click', () => {
  if (trained === undefined) return;
  modelFiles(trained.model, trained.meta).then(downloadFiles).catch(report);
});

// ---- a run of `inv train` ----

runFolderInput.addEventListener('change', () => {
  const files = Array.from(runFolderInput.files ?? []);
  if (files.length === 0) return;
  errorBox.hidden = true;
  openRunFolder(files)
    .then(async (opened) => {
      await showCurves([opened.run]);
      const notes = [...opened.notes];
      const source = opened.model === undefined ? undefined : await kernelSource(opened.model);
      try {
        if (source !== undefined && data !== undefined) await showHeatmaps(source.kernels, data.test);
        else if (source !== undefined) notes.push('load data to see its kernel heatmaps');
        else if (opened.model !== undefined) notes.push('its model has no Involution layers to draw');
      } finally {
        // Only its figures are kept.
        source?.dispose();
        opened.model?.dispose();
      }
      status.textContent = `Run ${opened.run.name}${opened.modelName === undefined ? '' : ` (${opened.modelName})`}: ${opened.run.history.length} epochs. ${notes.join('. ')}.`;
      update({
        history: opened.run.history,
        openedRun: {
          name: opened.run.name,
          epochs: opened.run.history.length,
          model: opened.model !== undefined,
        },
      });
    })
    .catch(report);
});

// ---- start ----

async function main(): Promise<void> {
  fillSelect(modelSelect, MODELS, 'seed-inv');
  fillSelect(generatorSelect, [DEFAULT_GENERATOR, ...listKernelGenerators()], DEFAULT_GENERATOR);
  describeModel();
  modelSelect.addEventListener('change', describeModel);
  update({});
  backend = (await startPageBackend(badge)).backend;
  if (CIFAR10_SUBSET === undefined) {
    dataStatus.textContent =
      'This build of the site has no built-in CIFAR-10 subset (built without INV_CIFAR10_DIR): use your own copy.';
    setButtons();
    return;
  }
  dataStatus.textContent = `Fetching the built-in subset (${(CIFAR10_SUBSET.bytes / 1e6).toFixed(1)} MB)…`;
  await useData(loadBuiltIn(CIFAR10_SUBSET, showProgress));
}

main().catch(report);
