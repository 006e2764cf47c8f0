import { encodePng, renderScene, sceneToSvg, type RgbaImage, type Scene } from '@inv/viz';
import { extname } from 'node:path';
import { writeFileAtomic } from '../run/atomic.js';

/** Fails unless `path` ends in one of `extensions`, naming them (called before any slow work). */
export function checkFigurePath(path: string, extensions: readonly string[]): void {
  if (!extensions.includes(extname(path).toLowerCase())) {
    throw new Error(`--out ${path}: expected a file name ending in ${extensions.join(' or ')}`);
  }
}

/** Writes a figure atomically: a {@link Scene} (vector layout) as `.png` or `.svg`, a raster as `.png`. */
export async function writeFigure(path: string, figure: Scene | RgbaImage): Promise<void> {
  if ('shapes' in figure) {
    checkFigurePath(path, ['.png', '.svg']);
    await writeFileAtomic(
      path,
      extname(path).toLowerCase() === '.svg' ? sceneToSvg(figure) : encodePng(renderScene(figure)),
    );
  } else {
    checkFigurePath(path, ['.png']);
    await writeFileAtomic(path, encodePng(figure));
  }
}
