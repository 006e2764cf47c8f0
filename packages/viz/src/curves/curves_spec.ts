import type { TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY } from '../text/dejavu_metrics.js';
import { SERIES_COLORS } from './palette.js';

/** The fields of one history.jsonl line that the curves use (`val_*`: measured on the test set). */
export interface CurveRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  /** null: not finite (left out of the curve). */
  readonly val_loss: number | null;
  readonly val_accuracy: number;
}

/** One run's history, named in the legend. */
export interface CurveRun {
  readonly name: string;
  readonly history: readonly CurveRecord[];
}

export interface CurvesOptions {
  /** Plot area of each panel, in px. Default 360 × 240. */
  readonly panelWidth?: number;
  readonly panelHeight?: number;
  /** Loss on a log axis (a loss that falls by decades stays readable). Default false. */
  readonly logLoss?: boolean;
}

/** One plotted value: the data rows of the spec. */
interface CurvePoint {
  run: string;
  split: 'train' | 'test';
  metric: 'loss' | 'accuracy';
  epoch: number;
  value: number;
}

const PANELS = [
  { metric: 'loss', train: 'loss', test: 'val_loss' },
  { metric: 'accuracy', train: 'accuracy', test: 'val_accuracy' },
] as const;
const BEST = 'best epoch (test accuracy)';

/** The epoch a run's best checkpoint comes from: its highest test accuracy, the first such (as `inv train`). */
function bestEpoch(history: readonly CurveRecord[]): CurveRecord {
  return history.reduce((best, record) => (record.val_accuracy > best.val_accuracy ? record : best));
}

function pointsOf(runs: readonly CurveRun[]): CurvePoint[] {
  return runs.flatMap((run) =>
    PANELS.flatMap((panel) =>
      (['train', 'test'] as const).flatMap((split) =>
        run.history
          .map((record) => ({
            run: run.name,
            split,
            metric: panel.metric,
            epoch: record.epoch,
            value: record[panel[split]],
          }))
          // A test loss that was not finite is null in history.jsonl: a gap in the curve.
          .filter((point): point is CurvePoint => Number.isFinite(point.value)),
      ),
    ),
  );
}

/**
 * Loss and accuracy per epoch of one or more runs side by side, as a Vega-Lite spec: a colour per run
 * (Okabe–Ito), train solid and test dashed, a point per epoch, and a diamond on each run's test curves at its
 * best epoch. Plain data, so it renders in Node (`curvesFigure`) and live in a page (vega-embed) alike.
 */
export function curvesSpec(runs: readonly CurveRun[], options: CurvesOptions = {}): TopLevelSpec {
  const { panelWidth = 360, panelHeight = 240, logLoss = false } = options;
  const empty = runs.filter((run) => run.history.length === 0).map((run) => run.name);
  if (runs.length === 0 || empty.length > 0) {
    throw new Error(
      `curvesSpec: needs at least one run, each with at least one epoch${empty.length ? `; empty: ${empty.join(', ')}` : ''}`,
    );
  }
  const names = runs.map((run) => run.name);
  const best = runs.flatMap((run) => {
    const record = bestEpoch(run.history);
    return PANELS.map((panel) => ({
      run: run.name,
      metric: panel.metric,
      epoch: record.epoch,
      value: record[panel.test],
      marker: BEST,
    })).filter((point) => Number.isFinite(point.value));
  });
  const epochs = runs.flatMap((run) => run.history.map((record) => record.epoch));
  const [first, last] = [Math.min(...epochs), Math.max(...epochs)];
  const x = {
    field: 'epoch',
    type: 'quantitative' as const,
    title: 'epoch',
    // Whole epochs only; a one-epoch run gets an axis around its point.
    axis: { format: 'd', tickMinStep: 1 },
    scale: { domain: first === last ? [first - 1, last + 1] : [first, last], nice: false },
  };
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: 'run',
    scale: { domain: names, range: [...SERIES_COLORS] },
    legend: { symbolType: 'stroke' },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 8,
    config: {
      font: FONT_FAMILY,
      view: { stroke: '#888888' },
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
      legend: {
        labelFontSize: 11,
        titleFontSize: 12,
        titleFontWeight: 'normal',
        symbolStrokeWidth: 2,
        symbolSize: 300,
        labelLimit: 320,
      },
      title: { fontSize: 13, fontWeight: 'bold' },
    },
    hconcat: PANELS.map((panel) => {
      const log = panel.metric === 'loss' && logLoss;
      const y = {
        field: 'value',
        type: 'quantitative' as const,
        title: log ? `${panel.metric} (log scale)` : panel.metric,
        // Padding keeps the extreme points and markers off the frame.
        scale: log ? { type: 'log' as const, nice: false, padding: 6 } : { zero: false, padding: 6 },
      };
      return {
        title: panel.metric,
        width: panelWidth,
        height: panelHeight,
        layer: [
          {
            data: { values: pointsOf(runs).filter((point) => point.metric === panel.metric) },
            mark: { type: 'line', strokeWidth: 2, point: { size: 18 } },
            encoding: {
              x,
              y,
              color,
              strokeDash: {
                field: 'split',
                type: 'nominal',
                title: 'split',
                legend: {
                  symbolType: 'stroke',
                  // Vega-Lite leaves these swatches unstroked (no colour encoding in this legend).
                  encode: { symbols: { update: { stroke: { value: '#444444' } } } },
                },
                scale: {
                  domain: ['train', 'test'],
                  // An empty dash array is a solid line (a [1, 0] one trips pdfkit's dash check).
                  range: [[], [6, 3]],
                },
              },
            },
          },
          {
            data: { values: best.filter((point) => point.metric === panel.metric) },
            mark: { type: 'point', filled: true, size: 110, stroke: 'black', strokeWidth: 1, opacity: 1 },
            encoding: {
              x,
              y,
              color,
              shape: {
                field: 'marker',
                type: 'nominal',
                title: null,
                scale: { domain: [BEST], range: ['diamond'] },
                legend: { symbolSize: 110 },
              },
            },
          },
        ],
      };
    }),
    resolve: { scale: { y: 'independent' } },
  };
}
