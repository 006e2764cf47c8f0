import type { Rgb } from '../raster/image.js';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, textWidth } from '../raster/text.js';
import type { Scene, Shape } from '../scene/scene.js';
import { AXIS_COLOR, GRID_COLOR, LABEL_COLOR, SERIES_COLORS } from './palette.js';
import { niceAxis, type Axis } from './ticks.js';

/** The fields of one history.jsonl line that the curves use. */
export interface CurveRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly val_loss: number;
  readonly val_accuracy: number;
}

/** One run's history, named in the legend. */
export interface CurveRun {
  readonly name: string;
  readonly history: readonly CurveRecord[];
}

export interface CurvesOptions {
  /** Plot area of each panel, in pixels. Default 420 × 300. */
  readonly panelWidth?: number;
  readonly panelHeight?: number;
  /** Font scale of all text (6·scale px per character). Default 2. */
  readonly textScale?: number;
}

interface Series {
  readonly label: string;
  readonly color: Rgb;
  readonly dash?: readonly [number, number];
  readonly points: readonly (readonly [number, number])[];
}

const PANELS = [
  { title: 'loss', train: 'loss', val: 'val_loss' },
  { title: 'accuracy', train: 'accuracy', val: 'val_accuracy' },
] as const;
const VAL_DASH = [8, 5] as const;
const PAD = 12;

/** Every run's train and validation series for one metric: each its own colour, validation also dashed. */
function seriesOf(runs: readonly CurveRun[], panel: (typeof PANELS)[number]): Series[] {
  return runs.flatMap((run, r) =>
    (['train', 'val'] as const).map((split, s) => ({
      label: `${run.name} ${split}`,
      color: SERIES_COLORS[(2 * r + s) % SERIES_COLORS.length]!,
      ...(split === 'val' ? { dash: VAL_DASH } : {}),
      points: run.history
        .map((record) => [record.epoch, record[split === 'train' ? panel.train : panel.val]] as const)
        .filter(([, value]) => Number.isFinite(value)),
    })),
  );
}

function format(value: number, axis: Axis): string {
  return value.toFixed(axis.decimals);
}

/**
 * Loss and accuracy (train solid, validation dashed) of one or more runs side by side, with ticks, grid,
 * axis labels and a legend at the right: the seed's conv-vs-involution plots. Returns a {@link Scene}
 * (render it with `renderScene` for PNG/canvas or `sceneToSvg`).
 */
export function curvesFigure(runs: readonly CurveRun[], options: CurvesOptions = {}): Scene {
  const { panelWidth = 420, panelHeight = 300, textScale: s = 2 } = options;
  const empty = runs.filter((run) => run.history.length === 0).map((run) => run.name);
  if (runs.length === 0 || empty.length > 0) {
    throw new Error(
      `curvesFigure: needs at least one run, each with at least one epoch${empty.length ? `; empty: ${empty.join(', ')}` : ''}`,
    );
  }
  const line = GLYPH_HEIGHT * s;
  const epochs = runs.flatMap((run) => run.history.map((record) => record.epoch));
  const xAxis = niceAxis(Math.min(...epochs), Math.max(...epochs), { integer: true, target: 6 });
  const panels = PANELS.map((panel) => {
    const series = seriesOf(runs, panel);
    const values = series.flatMap((one) => one.points.map(([, v]) => v));
    const [low, high] = [Math.min(...values), Math.max(...values)];
    // A margin of 4% keeps the extreme points (and their markers) off the frame.
    const margin = (high - low) * 0.04;
    return { panel, series, yAxis: niceAxis(low - margin, high + margin) };
  });
  const tickChars = Math.max(
    ...panels.flatMap(({ yAxis }) => yAxis.ticks.map((t) => format(t, yAxis).length)),
  );
  // Left of each plot: the rotated y label, then the tick labels, then the tick marks.
  const left = PAD + line + PAD + tickChars * GLYPH_ADVANCE * s + PAD;
  const top = PAD + line + PAD;
  const panelStride = left + panelWidth + PAD;
  const labels = panels[0]!.series.map((one) => one.label);
  const legendX = 2 * PAD + 2 * panelStride;
  const swatch = 36;
  const legendWidth = swatch + PAD + Math.max(...labels.map((label) => textWidth(label, s))) + PAD;
  const width = legendX + legendWidth;
  const height = Math.max(
    top + panelHeight + PAD + line + PAD + line + PAD,
    top + labels.length * (line + PAD),
  );

  const shapes: Shape[] = [];
  const text = (
    x: number,
    y: number,
    value: string,
    align: 'left' | 'center' | 'right',
    vertical = false,
  ): void => {
    shapes.push({ kind: 'text', x, y, text: value, color: LABEL_COLOR, scale: s, align, vertical });
  };
  panels.forEach(({ panel, series, yAxis }, p) => {
    const x0 = PAD + p * panelStride + left;
    const y0 = top;
    const toX = (epoch: number) => x0 + ((epoch - xAxis.min) / (xAxis.max - xAxis.min)) * panelWidth;
    const toY = (value: number) =>
      y0 + panelHeight - ((value - yAxis.min) / (yAxis.max - yAxis.min)) * panelHeight;
    text(x0 + panelWidth / 2, PAD, panel.title, 'center');
    for (const tick of yAxis.ticks) {
      const y = Math.round(toY(tick));
      shapes.push({
        kind: 'line',
        points: [
          [x0, y],
          [x0 + panelWidth, y],
        ],
        color: GRID_COLOR,
        width: 1,
      });
      shapes.push({
        kind: 'line',
        points: [
          [x0 - 5, y],
          [x0, y],
        ],
        color: AXIS_COLOR,
        width: 1,
      });
      text(x0 - 5 - PAD / 2, y - line / 2, format(tick, yAxis), 'right');
    }
    for (const tick of xAxis.ticks) {
      const x = Math.round(toX(tick));
      shapes.push({
        kind: 'line',
        points: [
          [x, y0 + panelHeight],
          [x, y0 + panelHeight + 5],
        ],
        color: AXIS_COLOR,
        width: 1,
      });
      text(x, y0 + panelHeight + PAD, format(tick, xAxis), 'center');
    }
    text(x0 + panelWidth / 2, y0 + panelHeight + PAD + line + PAD, 'epoch', 'center');
    text(x0 - left + PAD + line / 2, y0 + panelHeight / 2, panel.title, 'center', true);
    const frame = [
      [x0, y0],
      [x0 + panelWidth, y0],
      [x0 + panelWidth, y0 + panelHeight],
      [x0, y0 + panelHeight],
      [x0, y0],
    ] as const;
    shapes.push({ kind: 'line', points: frame, color: AXIS_COLOR, width: 1 });
    for (const one of series) {
      const points = one.points.map(([epoch, value]) => [toX(epoch), toY(value)] as const);
      shapes.push({
        kind: 'line',
        points,
        color: one.color,
        width: 2,
        ...(one.dash ? { dash: one.dash } : {}),
      });
      // Markers show each epoch, and keep a one-epoch run visible.
      for (const [x, y] of points)
        shapes.push({ kind: 'rect', x: x - 2, y: y - 2, width: 5, height: 5, fill: one.color });
    }
  });
  panels[0]!.series.forEach((one, i) => {
    const y = top + i * (line + PAD);
    shapes.push({
      kind: 'line',
      points: [
        [legendX, y + line / 2],
        [legendX + swatch, y + line / 2],
      ],
      color: one.color,
      width: 2,
      ...(one.dash ? { dash: one.dash } : {}),
    });
    text(legendX + swatch + PAD, y, one.label, 'left');
  });
  return { width: Math.ceil(width), height: Math.ceil(height), background: [255, 255, 255], shapes };
}
