// The built-in CIFAR-10 subset: written at build time by `plugins/cifar10_subset.ts` (from INV_CIFAR10_DIR),
// read by the Train page. Platform-neutral: the plugin (Node) and the page share this layout.
import { CHANNELS, IMAGE_SIZE, type Cifar10Dataset } from '@inv/data/browser';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE * CHANNELS;

/** What the page knows of the subset without fetching it: where it is and what it holds. */
export interface SubsetInfo {
  /** Relative to the page. */
  readonly url: string;
  readonly train: number;
  readonly test: number;
  readonly bytes: number;
}

/** The asset's size: per split, its labels then its images as stored (uint8, NHWC). */
export function subsetBytes(train: number, test: number): number {
  return (train + test) * (1 + PIXELS);
}

/** The asset: train labels, train images, test labels, test images (the first images of each split, in order). */
export function encodeSubset(train: Cifar10Dataset, test: Cifar10Dataset): Uint8Array {
  const out = new Uint8Array(subsetBytes(train.size, test.size));
  let at = 0;
  for (const split of [train, test]) {
    out.set(split.labels, at);
    at += split.size;
    out.set(split.images, at);
    at += split.images.length;
  }
  return out;
}

/** The two splits of the asset `bytes` (`where` names it in errors), checked against the counts it should hold. */
export function decodeSubset(
  bytes: Uint8Array,
  info: Pick<SubsetInfo, 'train' | 'test'>,
  classNames: readonly string[],
  where: string,
): { train: Cifar10Dataset; test: Cifar10Dataset } {
  const expected = subsetBytes(info.train, info.test);
  if (bytes.length !== expected)
    throw new Error(
      `${where} has ${bytes.length.toLocaleString('en-US')} bytes; expected ${expected.toLocaleString('en-US')} (${info.train} training and ${info.test} test images): rebuild the site`,
    );
  let at = 0;
  const split = (name: 'train' | 'test', size: number): Cifar10Dataset => {
    const labels = bytes.subarray(at, at + size);
    at += size;
    const images = bytes.subarray(at, at + size * PIXELS);
    at += size * PIXELS;
    const bad = labels.findIndex((label) => label >= classNames.length);
    if (bad >= 0) throw new Error(`${where}: ${name} label ${bad} is ${labels[bad]}; expected 0..9`);
    return { split: name, size, images, labels, classNames };
  };
  return { train: split('train', info.train), test: split('test', info.test) };
}
