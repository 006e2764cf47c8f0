import type { ProgressCallback } from '../progress.js';
import type { Cifar10Dataset } from './dataset.js';
import { fetchSource } from './fetch_source.js';
import type { Cifar10Split } from './format.js';
import { readSplit } from './read_split.js';

export interface LoadCifar10BrowserOptions {
  /** Default 'train'. */
  readonly split?: Cifar10Split;
  /** Keep only the first `limit` images (file order); only the batch files they need are fetched. */
  readonly limit?: number;
  /** Folder URL (absolute, or relative to the page) serving the files of the official `cifar-10-batches-bin`. */
  readonly url: string;
  /** Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressCallback;
}

/** Loads one CIFAR-10 split in the browser (or any runtime with `fetch`) from a web folder. */
export function loadCifar10(options: LoadCifar10BrowserOptions): Promise<Cifar10Dataset> {
  const base = typeof location === 'undefined' ? options.url : new URL(options.url, location.href).href;
  return readSplit(fetchSource(base, options.fetch), {
    split: options.split ?? 'train',
    limit: options.limit,
    signal: options.signal,
    onProgress: options.onProgress,
  });
}
