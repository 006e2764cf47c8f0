import { encodePng, renderScene, sceneToPdf, sceneToSvg, type Scene } from '@inv/viz';
import { extname } from 'node:path';
import { writeFileAtomic } from '../run/atomic.js';

/** The files a figure (a @inv/viz scene) can be written as, chosen by the name's extension. */
export const FIGURE_EXTENSIONS = ['.png', '.svg', '.pdf'] as const;

/** The most a PNG is scaled up (`--scale`): 8× a heatmap grid of 100 rows is already ~50,000 pixels tall. */
export const MAX_FIGURE_SCALE = 8;

/** Fails unless `path` ends in one of `extensions`, naming them (called before any slow work). */
export function checkFigurePath(path: string, extensions: readonly string[] = FIGURE_EXTENSIONS): void {
  if (!extensions.includes(extname(path).toLowerCase())) {
    throw new Error(`--out ${path}: expected a file name ending in ${extensions.join(' or ')}`);
  }
}

/**
 * Writes a figure atomically as PNG (rendered at `scale` × its layout size: 2 for a 2×-DPI figure), SVG or
 * vector PDF. A failed write (a folder at `path`, a full disk) leaves no temporary file behind (see
 * writeFileAtomic).
 */
export async function writeFigure(path: string, figure: Scene, scale = 1): Promise<void> {
  checkFigurePath(path);
  const extension = extname(path).toLowerCase();
  await writeFileAtomic(
    path,
    extension === '.svg'
      ? sceneToSvg(figure)
      : extension === '.pdf'
        ? await sceneToPdf(figure)
        : encodePng(renderScene(figure, scale)),
  );
}
