// The public API of @inv/data in Node: the shared list plus the Node loader (directory, archive, download, cache).
// Browsers resolve the package to `browser.ts` instead (the `browser` condition of the exports map).
export * from './shared.js';
export { loadCifar10 } from './cifar10/load.js';
export type { LoadCifar10Options } from './cifar10/load.js';
export { defaultCacheRoot } from './download/cache.js';
