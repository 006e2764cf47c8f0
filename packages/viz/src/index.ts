// The public API of @inv/viz in Node: the shared list plus PNG encoding.
// Browsers resolve the package to `browser.ts` instead (the `browser` condition of the exports map).
export * from './shared.js';
export { encodePng } from './png/encode.js';
