import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { involutionGeometry, type InvolutionGeometry } from '../../op/geometry.js';
import { Involution2DBackpropInput, type Involution2DBackpropInputAttrs } from '../../op/kernel_names.js';
import { channelComponents, geometryKey, laneGroups, tapLoop, valueType } from './involution_webgpu_util.js';
import { FlatProgram } from './flat_program.js';
import { kernelStorageOf, type KernelStorage } from './float16_wgsl.js';
import { TiledInvolution2DBackpropInputProgram, tiledApplies } from './involution2d_tiled_webgpu.js';

/**
 * d/dx as a gather: one invocation per dx element (or vec4 of channels, as in the forward program) sums the
 * taps (u, v) that read it, i.e. those with i = (y + p - u*d) / s and j = (x + p - v*d) / s integral and
 * inside the output. Each invocation owns its output, so there are no atomics and no zero-fill pass; for
 * s > 1 a tap row that does not divide exactly skips its whole column loop.
 */
export class Involution2DBackpropInputProgram extends FlatProgram {
  readonly variableNames = ['dy', 'kernel'];

  constructor(
    private readonly geometry: InvolutionGeometry,
    private readonly storage: KernelStorage,
  ) {
    const n = channelComponents(geometry);
    const g = geometry;
    super(
      [g.batch, g.inHeight, g.inWidth, g.channels],
      `involution2dBackpropInput_${geometryKey(g)}_c${n}_${storage.key}`,
      n,
      [n, 1],
    );
  }

  /** WGSL: `out` = (`at` + p - tap*d) / s and whether that is an integral position inside [0, `extent`). */
  private sourceOf(out: string, at: string, tap: string, extent: string): string {
    const { stride: s, dilation: d, pad: p } = this.geometry;
    const numerator = `${at} + ${p} - ${tap} * ${d}`;
    if (s === 1) return `let ${out} = ${numerator};\n if (${out} >= 0 && ${out} < ${extent})`;
    return `let ${out}Numerator = ${numerator};
      let ${out} = ${out}Numerator / ${s};
      if (${out}Numerator >= 0 && ${out}Numerator % ${s} == 0 && ${out} < ${extent})`;
  }

  getUserCode(): string {
    const g = this.geometry;
    const n = this.outputComponent;
    const groups = laneGroups(g, 'c', this.storage);
    return `
      ${this.storage.wgsl}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index * ${n});
          let b = coords[0];
          let inRow = coords[1];
          let inCol = coords[2];
          let c = coords[3];
          let outHeight = uniforms.dyShape[1];
          let outWidth = uniforms.dyShape[2];
          ${groups.declaration}
          var acc = ${valueType(n)}(0.0);
          ${tapLoop(
            g,
            'u',
            (u) => `
            ${this.sourceOf('outRow', 'inRow', u, 'outHeight')} {
              ${tapLoop(
                g,
                'v',
                (v) => `
                ${this.sourceOf('outCol', 'inCol', v, 'outWidth')} {
                  let pixel = (b * outHeight + outRow) * outWidth + outCol;
                  let kernelIndex = (pixel * ${g.taps} + ${u} * ${g.kernelSize} + ${v}) * ${g.groups};
                  acc = acc + ${groups.kernelAt('kernelIndex')} * dy[(pixel * ${g.channels} + c) / ${n}];
                }`,
              )}
            }`,
          )}
          setOutputAtIndex(index, acc);
        }
      }
    `;
  }
}

export const involution2dBackpropInputWebGPUConfig: KernelConfig = {
  kernelName: Involution2DBackpropInput,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { dy, kernel } = inputs as { dy: TensorInfo; kernel: TensorInfo };
    const a = attrs as unknown as Involution2DBackpropInputAttrs;
    const g = involutionGeometry(a.inputShape, a);
    const storage = kernelStorageOf(kernel.dtype);
    const program = tiledApplies(g)
      ? new TiledInvolution2DBackpropInputProgram(g, storage)
      : new Involution2DBackpropInputProgram(g, storage);
    return (backend as WebGPUBackend).runWebGPUProgram(program, [dy, kernel], 'float32');
  },
};
