import { Resvg } from '@resvg/resvg-js';
import type { RgbaImage } from '../image/image.js';
import type { Scene } from '../scene/scene.js';
import { sceneToSvg } from '../scene/svg.js';
import { FONT_FAMILY } from '../text/dejavu_metrics.js';
import { FONT_FILES } from './fonts.js';

/**
 * Renders a scene to pixels with resvg at `scale` device pixels per scene pixel (2 for a 192-dpi figure of the
 * same layout), with the shipped font only. Encode with `encodePng`.
 */
export function renderScene(scene: Scene, scale = 1): RgbaImage {
  if (!(scale > 0 && Number.isFinite(scale))) throw new Error(`renderScene: scale must be > 0, got ${scale}`);
  const rendered = new Resvg(sceneToSvg(scene), {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: [FONT_FILES.regular, FONT_FILES.bold],
      loadSystemFonts: false,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
  }).render();
  return { width: rendered.width, height: rendered.height, data: new Uint8ClampedArray(rendered.pixels) };
}
