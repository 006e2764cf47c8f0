// The public API of @inv/viz in browsers: the shared list (draw scenes with `drawToCanvas`, curves with Vega
// from `curvesSpec`). Nothing here reaches a Node-only module (PNG encoding needs node:zlib, resvg is native).
export * from './shared.js';
