import { compile } from 'vega-lite';
import * as vega from 'vega';
import { curvesSpec, type CurveRun, type CurvesOptions } from './curves_spec.js';

/**
 * Draws the curves of {@link curvesSpec} live in a page, as SVG inside `container` by Vega's own renderer (the
 * same spec `inv plot` renders in Node), with tooltips on hover. Resolves once drawn, to a function that frees
 * the view.
 */
export async function drawCurves(
  container: HTMLElement,
  runs: readonly CurveRun[],
  options: CurvesOptions = {},
): Promise<() => void> {
  const view = new vega.View(vega.parse(compile(curvesSpec(runs, options)).spec), {
    renderer: 'svg',
    container,
    hover: true,
  });
  await view.runAsync();
  return () => view.finalize();
}
