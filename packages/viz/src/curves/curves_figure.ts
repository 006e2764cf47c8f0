import { compile } from 'vega-lite';
import * as vega from 'vega';
import type { Scene } from '../scene/scene.js';
import { textWidth } from '../text/dejavu_metrics.js';
import { curvesSpec, type CurveRun, type CurvesOptions } from './curves_spec.js';

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

/** vega-scenegraph's text measurer, re-exported by vega at run time but missing from its typings. */
const { textMetrics } = vega as unknown as {
  textMetrics: { width: (item: TextItem, text: unknown) => number };
};

/**
 * Vega lays out axes and legends with text widths, measured on a canvas, which Node lacks (it would guess
 * 0.8 em a character): measure with the metrics of the font the figure is rendered in instead.
 */
function measureTextWithShippedFont(): void {
  textMetrics.width = (item, text) =>
    textWidth(
      String(text ?? '').trim(),
      item.fontSize ?? 11,
      item.fontWeight === 'bold' || Number(item.fontWeight) >= 600,
    );
}

/** The size the root element of Vega's SVG declares. */
function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const width = Number(/\bwidth="([\d.]+)"/.exec(root)?.[1]);
  const height = Number(/\bheight="([\d.]+)"/.exec(root)?.[1]);
  if (!(width > 0 && height > 0)) throw new Error(`curvesFigure: Vega's SVG has no size: ${root}`);
  return { width, height };
}

/**
 * The curves of {@link curvesSpec} rendered by Vega (Node: SVG, no DOM) into a {@link Scene}, for
 * `sceneToSvg`, `renderScene` (PNG) and `sceneToPdf`.
 */
export async function curvesFigure(runs: readonly CurveRun[], options: CurvesOptions = {}): Promise<Scene> {
  measureTextWithShippedFont();
  const view = new vega.View(vega.parse(compile(curvesSpec(runs, options)).spec), { renderer: 'none' });
  try {
    const markup = await view.toSVG();
    const { width, height } = svgSize(markup);
    return {
      width,
      height,
      background: [255, 255, 255],
      shapes: [{ kind: 'svg', x: 0, y: 0, width, height, markup }],
    };
  } finally {
    view.finalize();
  }
}
