// The pretrained classifier: the headline involution model trained on CIFAR-10 by `inv train`, on any image.
import { IMAGE_SIZE } from '@inv/data/browser';
import { drawToCanvas, kernelSource } from '@inv/viz/browser';
import { cifar10TestImage, cifar10Url } from '../classifier/cifar_samples.js';
import {
  classProbabilities,
  topK,
  type ClassifierSnapshot,
  type Prediction,
} from '../classifier/classify.js';
import { kernelFigure } from '../classifier/figure.js';
import { loadClassifierModel } from '../classifier/model.js';
import { syntheticImage } from '../playground/synthetic_image.js';
import { tensorData } from '../site/tensor_data.js';
import { startPageBackend } from './page_backend.js';
import { element, showError } from '../site/dom.js';
import { publish } from './hooks.js';
import { imageFilePixels, pixelsToTensor, type Pixels } from '../site/pixels.js';

const BUILT_IN = 'the built-in drawing (no CIFAR-10 class: try a photo)';

const upload = element('image-file', HTMLInputElement);
const builtIn = element('builtin-image', HTMLButtonElement);
const sample = element('cifar-image', HTMLButtonElement);
const about = element('model-about', HTMLElement);
const results = element('predictions', HTMLOListElement);
const caption = element('image-caption', HTMLElement);
const figure = element('figure', HTMLCanvasElement);
const errorBox = element('error', HTMLElement);

function showPredictions(top: readonly Prediction[]): void {
  results.replaceChildren(
    ...top.map(({ label, probability }) => {
      const item = document.createElement('li');
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${(probability * 100).toFixed(1)}%`;
      item.append(`${label} — ${(probability * 100).toFixed(1)}%`, bar);
      return item;
    }),
  );
}

async function main(): Promise<void> {
  await startPageBackend(element('backend-badge', HTMLElement));
  const { model, meta } = await loadClassifierModel();
  const source = await kernelSource(model);
  if (source === undefined) throw new Error(`${meta.model} has no Involution layer to draw kernels of`);
  // The twin (for a model whose layers do not output their kernels) takes the weights once: they never change.
  source.sync();
  const { kernels } = source;
  const trained = meta.epochs === undefined ? '' : `: ${meta.epochs} epochs on CIFAR-10`;
  const scored =
    meta.testAccuracy === undefined ? '' : `, ${(meta.testAccuracy * 100).toFixed(1)}% test accuracy`;
  about.textContent = `${meta.model}${trained}${scored}. ${meta.source}.`;
  let runs = 0;

  async function classify(pixels: Pixels, description: string): Promise<void> {
    const image = pixelsToTensor(pixels);
    try {
      const probabilities = await classProbabilities(model, image);
      const top = topK(probabilities, meta.classNames, 3);
      showPredictions(top);
      caption.textContent = description;
      drawToCanvas(await kernelFigure(kernels, pixels, image), figure);
      const snapshot: ClassifierSnapshot = {
        run: ++runs,
        input: await tensorData(image),
        probabilities: Array.from(probabilities),
        top,
      };
      publish({ classifier: snapshot });
      errorBox.hidden = true;
    } finally {
      image.dispose();
    }
  }
  const report = (error: unknown) => showError(errorBox, error);

  upload.addEventListener('change', () => {
    const file = upload.files?.[0];
    if (file)
      imageFilePixels(file, IMAGE_SIZE)
        .then((pixels) => classify(pixels, `${file.name}, centre square resized to 32×32`))
        .catch(report);
  });
  builtIn.addEventListener('click', () => {
    upload.value = '';
    classify(syntheticImage(IMAGE_SIZE), BUILT_IN).catch(report);
  });
  const url = cifar10Url();
  if (url !== undefined) {
    let next = 0;
    sample.hidden = false;
    sample.addEventListener('click', () => {
      const index = next++;
      cifar10TestImage(url, index)
        .then(({ pixels, label }) => classify(pixels, `CIFAR-10 test image ${index}, labelled ${label}`))
        .catch(report);
    });
  }
  await classify(syntheticImage(IMAGE_SIZE), BUILT_IN);
}

main().catch((error: unknown) => showError(errorBox, error));
