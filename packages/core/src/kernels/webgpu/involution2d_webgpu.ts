import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { involutionGeometry, type InvolutionGeometry } from '../../op/geometry.js';
import { Involution2D, type Involution2DAttrs } from '../../op/kernel_names.js';
import {
  channelComponents,
  PADDING_TERM_WGSL,
  geometryKey,
  imageTaps,
  laneGroups,
  paddingTermOf,
  valueType,
} from './involution_webgpu_util.js';
import { FlatProgram } from './flat_program.js';
import { kernelStorageOf, type KernelStorage } from './float16_wgsl.js';
import { TiledInvolution2DProgram, tiledApplies } from './involution2d_tiled_webgpu.js';

/**
 * Forward involution: one invocation per output element, or per vec4 of adjacent channels when C % 4 == 0
 * (vec4 loads of x and stores of out, and one kernel read per tap shared by the four lanes when they are in
 * one group). Each output needs only its own K² products, so there is nothing to share across invocations
 * that caches do not already serve: neighbouring invocations read neighbouring x and the same kernel row.
 */
export class Involution2DProgram extends FlatProgram {
  readonly variableNames = ['x', 'kernel'];

  constructor(
    private readonly geometry: InvolutionGeometry,
    private readonly storage: KernelStorage,
  ) {
    const n = channelComponents(geometry);
    const g = geometry;
    // x (and out) in channel vectors; the kernel stays scalar because a lane's group need not be aligned.
    super(
      [g.batch, g.outHeight, g.outWidth, g.channels],
      `involution2d_${geometryKey(g)}_c${n}_${storage.key}`,
      n,
      [n, 1],
    );
  }

  getUserCode(): string {
    const g = this.geometry;
    const n = this.outputComponent;
    const groups = laneGroups(g, 'c', this.storage);
    const kernelRow = g.taps * g.groups;
    const kernelTap = groups.kernelAt(`kernelBase + t * ${g.groups}`);
    return `
      ${PADDING_TERM_WGSL}
      ${this.storage.wgsl}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index * ${n});
          let b = coords[0];
          let outRow = coords[1];
          let outCol = coords[2];
          let c = coords[3];
          // The output pixel's K*K*G kernel values start here.
          let kernelBase = (index * ${n} / ${g.channels}) * ${kernelRow};
          ${groups.declaration}
          var acc = ${valueType(n)}(0.0);
          ${imageTaps(
            g,
            'uniforms.xShape[1]',
            'uniforms.xShape[2]',
            `
            let xIndex = ((b * uniforms.xShape[1] + inRow) * uniforms.xShape[2] + inCol) * ${g.channels} + c;
            acc = acc + ${kernelTap} * x[xIndex / ${n}];`,
            `acc = acc + ${paddingTermOf(groups.components)}(${kernelTap});`,
          )}
          setOutputAtIndex(index, acc);
        }
      }
    `;
  }
}

export const involution2dWebGPUConfig: KernelConfig = {
  kernelName: Involution2D,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, kernel } = inputs as { x: TensorInfo; kernel: TensorInfo };
    const g = involutionGeometry(x.shape, attrs as unknown as Involution2DAttrs);
    const storage = kernelStorageOf(kernel.dtype);
    const program = tiledApplies(g)
      ? new TiledInvolution2DProgram(g, storage)
      : new Involution2DProgram(g, storage);
    return (backend as WebGPUBackend).runWebGPUProgram(program, [x, kernel], 'float32');
  },
};
