// The public API of @inv/data in browsers: the shared list plus a `fetch` loader. Nothing here reaches a
// Node-only module (fs, http, zlib, tar).
export * from './shared.js';
export { loadCifar10 } from './cifar10/load_browser.js';
export type { LoadCifar10BrowserOptions } from './cifar10/load_browser.js';
