// The public API of @inv/data in browsers: the shared list plus a `fetch` loader and a loader of the visitor's
// own files (the official archive, streamed through gunzip and tar, or a picked folder). Nothing here reaches a
// Node-only module (fs, http, zlib, tar).
export * from './shared.js';
export { loadCifar10 } from './cifar10/load_browser.js';
export type { LoadCifar10BrowserOptions } from './cifar10/load_browser.js';
export { loadCifar10Files } from './cifar10/load_files_browser.js';
export type { Cifar10Files, LoadCifar10FilesOptions } from './cifar10/load_files_browser.js';
export type { NamedBlob } from './cifar10/blob_source.js';
