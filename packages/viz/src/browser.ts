// The public API of @inv/viz in browsers: the shared list (draw scenes with `drawToCanvas`), and curves drawn
// live by Vega (`drawCurves`). Nothing here reaches a Node-only module (PNG encoding needs node:zlib, resvg is
// native).
export * from './shared.js';
export { drawCurves } from './curves/curves_view.js';
