// The public API of @inv/viz in browsers: the shared list (draw with `drawToCanvas`). Nothing here reaches a
// Node-only module (PNG encoding needs node:zlib).
export * from './shared.js';
