// The op playground: an Involution layer with random weights on an image, redrawn on every change.
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_KERNEL_GENERATOR, listKernelGenerators } from '@inv/core';
import '@inv/generator-attention';
import { REDUCTIONS, drawToCanvas, type Reduction } from '@inv/viz/browser';
import {
  applyPlayground,
  GROUPS,
  KERNEL_SIZES,
  playgroundLayer,
  STRIDES,
  type PlaygroundSettings,
} from '../playground/layer.js';
import { playgroundFigure } from '../playground/figure.js';
import type { PlaygroundSnapshot } from '../playground/snapshot.js';
import { tensorData } from '../site/tensor_data.js';
import { syntheticImage } from '../playground/synthetic_image.js';
import { startPageBackend } from './page_backend.js';
import { element, fillSelect, showError } from '../site/dom.js';
import { publish } from './hooks.js';
import { imageFilePixels, pixelsToTensor, type Pixels } from '../site/pixels.js';
import { median, timeCalls } from '../site/timing.js';

const IMAGE_SIZE = 64;
const TIMED_CALLS = 5;

const controls = {
  kernelSize: element('kernel-size', HTMLSelectElement),
  stride: element('stride', HTMLSelectElement),
  groups: element('groups', HTMLSelectElement),
  generator: element('generator', HTMLSelectElement),
  reduce: element('reduce', HTMLSelectElement),
};
const upload = element('image-file', HTMLInputElement);
const builtIn = element('builtin-image', HTMLButtonElement);
const reseed = element('reseed', HTMLButtonElement);
const figure = element('figure', HTMLCanvasElement);
const timing = element('timing', HTMLElement);
const errorBox = element('error', HTMLElement);

fillSelect(controls.kernelSize, KERNEL_SIZES, 3);
fillSelect(controls.stride, STRIDES, 1);
fillSelect(controls.groups, GROUPS, 1);
fillSelect(controls.generator, listKernelGenerators(), DEFAULT_KERNEL_GENERATOR);
fillSelect(controls.reduce, REDUCTIONS, 'sum');

let pixels: Pixels = syntheticImage(IMAGE_SIZE);
let seed = 1;
let runs = 0;

function settings(): PlaygroundSettings {
  return {
    kernelSize: Number(controls.kernelSize.value),
    stride: Number(controls.stride.value),
    groups: Number(controls.groups.value),
    generator: controls.generator.value,
    seed,
  };
}

async function run(): Promise<void> {
  const current = settings();
  const layer = playgroundLayer(current);
  const x = pixelsToTensor(pixels);
  try {
    const first = performance.now();
    const [output, kernel] = applyPlayground(layer, x);
    try {
      await output.data();
      const firstMs = performance.now() - first;
      const msPerCall = median(
        await timeCalls(() => tf.tidy(() => applyPlayground(layer, x)[0]), TIMED_CALLS),
      );
      drawToCanvas(
        await playgroundFigure(pixels, output, kernel, controls.reduce.value as Reduction),
        figure,
      );
      timing.textContent = `${msPerCall.toFixed(2)} ms per call (median of ${TIMED_CALLS}, output read back); first call ${firstMs.toFixed(1)} ms (builds the layer and compiles its kernels)`;
      const snapshot: PlaygroundSnapshot = {
        run: ++runs,
        settings: current,
        input: await tensorData(x),
        weights: await Promise.all(
          layer.weights.map(async (w) => ({ name: w.originalName, ...(await tensorData(w.read())) })),
        ),
        output: await tensorData(output),
        msPerCall,
      };
      publish({ playground: snapshot });
      errorBox.hidden = true;
    } finally {
      tf.dispose([output, kernel]);
    }
  } finally {
    x.dispose();
    layer.dispose();
  }
}

// One run at a time; changes made meanwhile collapse into one more run with the latest settings.
let running: Promise<void> | undefined;
let again = false;
function update(): void {
  if (running) {
    again = true;
    return;
  }
  running = run()
    .catch((error: unknown) => showError(errorBox, error))
    .finally(() => {
      running = undefined;
      if (again) {
        again = false;
        update();
      }
    });
}

async function main(): Promise<void> {
  await startPageBackend(element('backend-badge', HTMLElement));
  for (const select of Object.values(controls)) select.addEventListener('change', update);
  upload.addEventListener('change', () => {
    const file = upload.files?.[0];
    if (!file) return;
    imageFilePixels(file, IMAGE_SIZE).then(
      (decoded) => {
        pixels = decoded;
        update();
      },
      (error: unknown) => showError(errorBox, error),
    );
  });
  builtIn.addEventListener('click', () => {
    pixels = syntheticImage(IMAGE_SIZE);
    upload.value = '';
    update();
  });
  reseed.addEventListener('click', () => {
    seed += 1;
    update();
  });
  update();
}

main().catch((error: unknown) => showError(errorBox, error));
