import { CHANNELS, IMAGE_SIZE, loadCifar10, type Cifar10Dataset } from '@inv/data/browser';
import type { Pixels } from '../site/pixels.js';

/** How many test images to fetch: the first batch file's head is enough to pick from, and quick to download. */
const SAMPLE_COUNT = 200;

/** The CIFAR-10 folder URL configured at build time (`INV_DOCS_CIFAR10_URL`), if any. */
export function cifar10Url(): string | undefined {
  return import.meta.env.INV_DOCS_CIFAR10_URL || undefined;
}

let test: Promise<Cifar10Dataset> | undefined;

/** Test image `index mod SAMPLE_COUNT` and its true label; the images are fetched once. */
export async function cifar10TestImage(
  url: string,
  index: number,
): Promise<{ pixels: Pixels; label: string }> {
  // A failed download is not remembered: the next click tries again.
  test ??= loadCifar10({ url, split: 'test', limit: SAMPLE_COUNT }).catch((error: unknown) => {
    test = undefined;
    throw error;
  });
  const data = await test;
  const i = index % data.size;
  const size = IMAGE_SIZE * IMAGE_SIZE * CHANNELS;
  return {
    pixels: { width: IMAGE_SIZE, height: IMAGE_SIZE, data: data.images.slice(i * size, (i + 1) * size) },
    label: data.classNames[data.labels[i]!]!,
  };
}
