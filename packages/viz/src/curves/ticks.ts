/** An axis range widened to round numbers, its tick values, and the decimals that print them exactly. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
  readonly decimals: number;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `rough`: steps people read at a glance. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** The fewest decimals that print `step` exactly (0.25 → 2, 5 → 0). */
function decimalsOf(step: number): number {
  let decimals = 0;
  while (decimals < 12 && Math.abs(Number(step.toFixed(decimals)) - step) > step * 1e-9) decimals++;
  return decimals;
}

/**
 * An axis covering [min, max] with about `target` ticks on round values. An empty range (one value) is widened
 * so that the value sits mid-axis; `integer` keeps steps whole (epochs).
 */
export function niceAxis(min: number, max: number, { target = 5, integer = false } = {}): Axis {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max)
    throw new Error(`niceAxis: bad range [${min}, ${max}]`);
  if (min === max) {
    const pad = integer ? 1 : Math.abs(min) * 0.1 || 0.5;
    [min, max] = [min - pad, max + pad];
  }
  let step = niceStep((max - min) / Math.max(1, target - 1));
  if (integer) step = Math.max(1, Math.round(step));
  const decimals = decimalsOf(step);
  const round = (v: number) => Number(v.toFixed(decimals));
  const lo = round(Math.floor(min / step + 1e-9) * step);
  const hi = round(Math.ceil(max / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) ticks.push(round(lo + i * step));
  return { min: lo, max: hi, ticks, decimals };
}
