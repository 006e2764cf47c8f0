import { encodePng } from '../png/encode.js';
import { FONT_FAMILY } from '../text/dejavu_metrics.js';
import { cssColor, type Scene, type Shape } from './scene.js';

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

function element(shape: Shape): string {
  switch (shape.kind) {
    case 'rect':
      return `<rect x="${shape.x}" y="${shape.y}" width="${shape.width}" height="${shape.height}" fill="${cssColor(shape.fill)}"/>`;
    case 'text':
      return `<text x="${shape.x}" y="${shape.y}" text-anchor="${shape.anchor}" font-family="${FONT_FAMILY}" font-size="${shape.size}"${shape.bold ? ' font-weight="bold"' : ''} fill="${cssColor(shape.color)}">${escapeXml(shape.text)}</text>`;
    case 'image': {
      const { width, height } = shape.image;
      const png = Buffer.from(encodePng(shape.image)).toString('base64');
      // optimizeSpeed: nearest-neighbour scaling, so a heatmap cell stays one flat colour at 2× (resvg honours it).
      return `<image x="${shape.x}" y="${shape.y}" width="${width}" height="${height}" image-rendering="optimizeSpeed" preserveAspectRatio="none" href="data:image/png;base64,${png}"/>`;
    }
    case 'svg':
      return `<g transform="translate(${shape.x} ${shape.y})">${shape.markup.replace(/^<\?xml[^>]*>\s*/, '')}</g>`;
  }
}

/** The scene as a standalone SVG document, images embedded as PNG data URIs (Node only: encodes PNG). */
export function sceneToSvg(scene: Scene): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}">`,
    `<rect width="${scene.width}" height="${scene.height}" fill="${cssColor(scene.background)}"/>`,
    ...scene.shapes.map(element),
    '</svg>',
    '',
  ].join('\n');
}
