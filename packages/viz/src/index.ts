// The public API of @inv/viz in Node: the shared list plus what needs Node (PNG encoding, Vega's SVG, resvg,
// pdfkit). Browsers resolve the package to `browser.ts` instead (the `browser` condition of the exports map).
export * from './shared.js';
export { encodePng } from './png/encode.js';
export { sceneToSvg } from './scene/svg.js';
export { renderScene } from './render/png.js';
export { sceneToPdf } from './render/pdf.js';
export { FONT_FILES } from './render/fonts.js';
export { curvesFigure } from './curves/curves_figure.js';
