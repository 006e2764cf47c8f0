/**
 * Per-channel sums over the rows of a [rows, C] view, the reductions batch norm needs, in two fixed-order
 * passes (no atomics, so every run gives the same bits): `ChannelPartialSumsProgram` sums each run of
 * ROWS_PER_PARTIAL rows of one channel (an invocation per (run, channel): neighbouring invocations read
 * neighbouring channels of a row, so loads coalesce), `ChannelTotalsProgram` adds a channel's partials in
 * order. At resinv's widest batch norm ([128·32·32, 48]) that is 512 × 48 invocations of 256 loads each, then
 * 48 of 512: the data is read once, as it must be; the bound is memory bandwidth.
 *
 * What the partials sum are WGSL expressions (terms) of the row `r` and channel `c` over the programs'
 * inputs; the batch-norm programs give x, (x − μ)², g and g·(x − μ).
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { FlatProgram } from './flat_program.js';

/** Rows each partial sums: long enough that the second pass is short, short enough for thousands of invocations. */
export const ROWS_PER_PARTIAL = 256;

/**
 * Output [partials, terms·C]: entry (p, t·C + c) sums term t over rows p·256 … min(rows, (p+1)·256) − 1 of
 * channel c. The inputs are `variableNames`, each a flat array the terms index (`x[r * C + c]`, `mean[c]`).
 */
export class ChannelPartialSumsProgram extends FlatProgram {
  constructor(
    readonly variableNames: string[],
    private readonly rows: number,
    private readonly channels: number,
    private readonly terms: readonly string[],
  ) {
    const partials = Math.ceil(rows / ROWS_PER_PARTIAL);
    super(
      [partials, terms.length * channels],
      `channel_partials_${variableNames.join('_')}_${rows}_${channels}_${terms.join(';')}`,
    );
  }

  getUserCode(): string {
    const C = this.channels;
    const sums = this.terms.map((_, t) => `var sum${t} = 0.0;`).join('\n');
    const adds = this.terms.map((term, t) => `sum${t} = sum${t} + (${term});`).join('\n');
    // Each invocation writes all its terms: the output's own index is that of term 0.
    const stores = this.terms
      .map((_, t) => `setOutputAtIndex(p * ${this.terms.length * C} + ${t * C} + c, sum${t});`)
      .join('\n');
    return `
      fn main(index : i32) {
        let perPartial = ${this.terms.length * C};
        if (index < uniforms.size && index % perPartial < ${C}) {
          let p = index / perPartial;
          let c = index % perPartial;
          ${sums}
          let first = p * ${ROWS_PER_PARTIAL};
          let last = min(first + ${ROWS_PER_PARTIAL}, ${this.rows});
          for (var r = first; r < last; r++) {
            ${adds}
          }
          ${stores}
        }
      }
    `;
  }
}

/**
 * Output [channels]: columns `first` … `first + channels − 1` of a [partials, width] input, each summed over
 * the partials in order, times `scale`.
 */
export class ChannelTotalsProgram extends FlatProgram {
  readonly variableNames = ['partials'];

  constructor(
    private readonly partials: number,
    private readonly width: number,
    private readonly first: number,
    channels: number,
    private readonly scale: number,
  ) {
    super([channels], `channel_totals_${partials}_${width}_${first}_${channels}_${scale}`);
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var sum = 0.0;
          for (var p = 0; p < ${this.partials}; p++) {
            sum = sum + partials[p * ${this.width} + ${this.first} + index];
          }
          setOutputAtIndex(index, sum * ${wgslFloat(this.scale)});
        }
      }
    `;
  }
}

/**
 * Each term summed over the rows of each channel of `inputs[0]` (viewed as [rows, C]): one [C] tensor per
 * term, the sums (`'sum'`) or the sums over the rows (`'mean'`). The inputs are bound as `names`.
 */
export function channelSums(
  gpu: WebGPUBackend,
  inputs: TensorInfo[],
  names: string[],
  terms: readonly string[],
  kind: 'sum' | 'mean',
): TensorInfo[] {
  const shape = inputs[0]!.shape;
  const channels = shape.at(-1)!;
  const rows = shape.reduce((a, b) => a * b, 1) / channels;
  const partials = gpu.runWebGPUProgram(
    new ChannelPartialSumsProgram(names, rows, channels, terms),
    inputs,
    'float32',
  );
  const scale = kind === 'mean' ? 1 / rows : 1;
  const totals = terms.map((_, t) =>
    gpu.runWebGPUProgram(
      new ChannelTotalsProgram(partials.shape[0]!, terms.length * channels, t * channels, channels, scale),
      [partials],
      'float32',
    ),
  );
  gpu.disposeData(partials.dataId);
  return totals;
}

/** A WGSL f32 literal (always with a decimal point or exponent). */
export function wgslFloat(value: number): string {
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}
