import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import type { Scene } from '../scene/scene.js';
import { sceneToSvg } from '../scene/svg.js';
import { FONT_FILES } from './fonts.js';

/**
 * The scene as a one-page PDF of its size (1 scene pixel = 1 pt): shapes and text stay vectors, text set in
 * the embedded DejaVu Sans; images are embedded as they are.
 */
export async function sceneToPdf(scene: Scene): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: [scene.width, scene.height],
    margin: 0,
    info: { Creator: '@inv/viz' },
  });
  doc.registerFont('regular', FONT_FILES.regular);
  doc.registerFont('bold', FONT_FILES.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  SVGtoPDF(doc, sceneToSvg(scene), 0, 0, {
    width: scene.width,
    height: scene.height,
    assumePt: true,
    // Every family resolves to the shipped font, so no PDF standard font (Helvetica) slips in.
    fontCallback: (_family: string, bold: boolean) => (bold ? 'bold' : 'regular'),
  });
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
