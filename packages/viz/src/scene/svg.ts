import type { Rgb } from '../raster/image.js';
import { GLYPH_HEIGHT } from '../raster/text.js';
import type { Scene, Shape } from './scene.js';

const ANCHOR = { left: 'start', center: 'middle', right: 'end' } as const;

function color([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

function element(shape: Shape): string {
  switch (shape.kind) {
    case 'rect':
      return `<rect x="${shape.x}" y="${shape.y}" width="${shape.width}" height="${shape.height}" fill="${color(shape.fill)}"/>`;
    case 'line': {
      const points = shape.points.map(([x, y]) => `${+x.toFixed(2)},${+y.toFixed(2)}`).join(' ');
      const dash = shape.dash ? ` stroke-dasharray="${shape.dash.join(' ')}"` : '';
      return `<polyline points="${points}" fill="none" stroke="${color(shape.color)}" stroke-width="${shape.width}"${dash}/>`;
    }
    case 'text': {
      // A monospace font at 10s px advances about 6s px, as the 5×7 bitmap font at scale s does, so the layout
      // holds; the baseline sits 7s px below the top.
      const size = 10 * shape.scale;
      const glyph = GLYPH_HEIGHT * shape.scale;
      const common = `font-family="monospace" font-size="${size}" fill="${color(shape.color)}"`;
      const text = escapeXml(shape.text);
      return shape.vertical
        ? `<text x="${shape.x}" y="${shape.y + glyph / 2}" text-anchor="middle" transform="rotate(-90 ${shape.x} ${shape.y})" ${common}>${text}</text>`
        : `<text x="${shape.x}" y="${shape.y + glyph}" text-anchor="${ANCHOR[shape.align]}" ${common}>${text}</text>`;
    }
  }
}

/** The scene as a standalone SVG document. */
export function sceneToSvg(scene: Scene): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}">`,
    `<rect width="100%" height="100%" fill="${color(scene.background)}"/>`,
    ...scene.shapes.map(element),
    '</svg>',
    '',
  ].join('\n');
}
