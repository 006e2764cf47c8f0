import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { involutionGeometry, type InvolutionGeometry } from '../../op/geometry.js';
import { Involution2DBackpropKernel, type Involution2DAttrs } from '../../op/kernel_names.js';
import { PADDING_TERM_WGSL, effectiveLayout, geometryKey, paddingTermOf } from './involution_webgpu_util.js';
import { FlatProgram } from './flat_program.js';

/**
 * How an invocation vectorises its reduction over the C/G channels of a group:
 * - `channels`: a group's channels are contiguous and C/G % 4 == 0, so x and dy are read as vec4 and the
 *   four partial sums are added at the end;
 * - `groups`: interleaved with G % 4 == 0, so channels k*G + g0 … k*G + g0+3 are adjacent and belong to
 *   groups g0 … g0+3: one invocation computes those four outputs (adjacent in dkernel too) with vec4 reads;
 * - `none`: scalar.
 */
type Vectorisation = 'channels' | 'groups' | 'none';

function vectorisation(g: InvolutionGeometry): Vectorisation {
  const layout = effectiveLayout(g);
  if (layout === 'contiguous' && g.channelsPerGroup % 4 === 0) return 'channels';
  if (layout === 'interleaved' && g.groups % 4 === 0) return 'groups';
  return 'none';
}

/**
 * d/dkernel: one invocation per dkernel element (b, i, j, t, g), or per four adjacent groups, reduces
 * dy[b,i,j,c] · x[b, i*s+u*d-p, j*s+v*d-p, c] over the channels c of its group in registers. A group has few
 * channels (RedNet: 16), so a workgroup-wide reduction would spend more on barriers and shared memory than it
 * saves; the K² invocations of one pixel and group re-read the same dy values from cache.
 */
export class Involution2DBackpropKernelProgram extends FlatProgram {
  readonly variableNames = ['x', 'dy'];
  private readonly vectorisation: Vectorisation;

  constructor(private readonly geometry: InvolutionGeometry) {
    const g = geometry;
    const v = vectorisation(g);
    const inputComponents = v === 'none' ? 1 : 4;
    super(
      [g.batch, g.outHeight, g.outWidth, g.taps, g.groups],
      `involution2dBackpropKernel_${geometryKey(g)}_${v}`,
      v === 'groups' ? 4 : 1,
      [inputComponents, inputComponents],
    );
    this.vectorisation = v;
  }

  /** The reduction loop: its trip count, the (vector) channel index of step k, and how the sum ends. */
  private reduction(): { steps: number; channel: string; result: string } {
    const { channelsPerGroup: cg, groups: G } = this.geometry;
    switch (this.vectorisation) {
      case 'channels':
        return { steps: cg / 4, channel: `group * ${cg / 4} + k`, result: 'dot(acc, vec4<f32>(1.0))' };
      case 'groups':
        return { steps: cg, channel: `(k * ${G} + group) / 4`, result: 'acc' };
      case 'none':
        return {
          steps: cg,
          channel: effectiveLayout(this.geometry) === 'contiguous' ? `group * ${cg} + k` : `k * ${G} + group`,
          result: 'acc',
        };
    }
  }

  getUserCode(): string {
    const g = this.geometry;
    const { steps, channel, result } = this.reduction();
    const accType = this.vectorisation === 'none' ? 'f32' : 'vec4<f32>';
    // Channel vectors per pixel in x and dy.
    const pixelStride = g.channels / this.variableComponents![0]!;
    const paddingTerm = paddingTermOf(this.vectorisation === 'none' ? 1 : 4);
    return `
      ${PADDING_TERM_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index * ${this.outputComponent});
          let b = coords.x;
          let outRow = coords.y;
          let outCol = coords.z;
          let t = coords.w;
          let group = coords.u;
          let inRow = outRow * ${g.stride} + (t / ${g.kernelSize}) * ${g.dilation} - ${g.pad};
          let inCol = outCol * ${g.stride} + (t % ${g.kernelSize}) * ${g.dilation} - ${g.pad};
          let dyBase = ((b * uniforms.dyShape[1] + outRow) * uniforms.dyShape[2] + outCol) * ${pixelStride};
          var acc = ${accType}(0.0);
          if (inRow >= 0 && inRow < uniforms.xShape[1] && inCol >= 0 && inCol < uniforms.xShape[2]) {
            let xBase = ((b * uniforms.xShape[1] + inRow) * uniforms.xShape[2] + inCol) * ${pixelStride};
            for (var k = 0; k < ${steps}; k++) {
              let c = ${channel};
              acc = acc + x[xBase + c] * dy[dyBase + c];
            }
          } else {
            // An out-of-image tap: Σ 0·dy, NaN when a dy is NaN or ±Inf.
            for (var k = 0; k < ${steps}; k++) {
              acc = acc + ${paddingTerm}(dy[dyBase + ${channel}]);
            }
          }
          setOutputAtIndex(index, ${result});
        }
      }
    `;
  }
}

export const involution2dBackpropKernelWebGPUConfig: KernelConfig = {
  kernelName: Involution2DBackpropKernel,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const program = new Involution2DBackpropKernelProgram(
      involutionGeometry(x.shape, attrs as unknown as Involution2DAttrs),
    );
    return (backend as WebGPUBackend).runWebGPUProgram(program, [x, dy], 'float32');
  },
};
