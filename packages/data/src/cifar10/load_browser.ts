import {
  badOption,
  integer,
  optionalFunction,
  optionalSignal,
  optionalString,
  optionsObject,
} from '../check.js';
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
export async function loadCifar10(options: LoadCifar10BrowserOptions): Promise<Cifar10Dataset> {
  const where = 'loadCifar10';
  const o = optionsObject(where, options);
  const url = optionalString(where, 'url', o.url, 'folder URL');
  if (url === undefined) throw badOption(where, 'url', 'the folder URL serving cifar-10-batches-bin', url);
  const base = folderUrl(url);
  return readSplit(fetchSource(base, optionalFunction(where, 'fetch', o.fetch)), {
    split: o.split ?? 'train',
    limit: o.limit === undefined ? undefined : integer(where, 'limit', o.limit, 0),
    signal: optionalSignal(where, o.signal),
    onProgress: optionalFunction(where, 'onProgress', o.onProgress),
  });
}

/** `url` made absolute against the page (when there is one); a URL that does not parse is a BAD_OPTION. */
function folderUrl(url: string): string {
  try {
    return new URL(url, typeof location === 'undefined' ? undefined : location.href).href;
  } catch {
    throw badOption(
      'loadCifar10',
      'url',
      typeof location === 'undefined' ? 'an absolute URL (there is no page to resolve it against)' : 'a URL',
      url,
    );
  }
}
