/**
 * The forward involution for GPUs at stride 1: a workgroup computes an 8×8 tile of output pixels for one or
 * two channel vectors, after loading the (8 + K − 1)² input pixels the tile needs into workgroup memory once.
 *
 * Why: each input element is read by K² outputs. The flat program (involution2d_webgpu.ts) reads it K² times
 * from global memory and leaves the reuse to the caches: per output vec4, K² vec4 loads of x (16 bytes each)
 * and K² kernel loads, 49 + 49 loads at RedNet's K = 7. Here x costs (8 + K − 1)²/64 vec4 loads per output
 * (3.1 at K = 7: 16× fewer) and the K² reads come from workgroup memory; with two vec4 per invocation (when 8
 * channels share a group) each kernel value loaded serves 8 channels, halving the kernel's traffic too. What
 * remains is the kernel, K² floats per pixel and group that no two pixels share: at RedNet's layer
 * ([64,16,16,64], K 7, G 4) 3.2 MB of kernel against 1 MB of x and 1 MB of output, so the kernel's one read
 * is the bound (memory bandwidth).
 *
 * Taps are summed in the flat program's order (row-major over u, v), so the two agree to the last bit where
 * the compiler contracts alike; an out-of-image tap adds paddingTerm(k) as there.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { InvolutionGeometry } from '../../op/geometry.js';
import {
  channelComponents,
  effectiveLayout,
  geometryKey,
  groupOfWgsl,
  laneGroups,
  PADDING_TERM_WGSL,
  tapLoop,
} from './involution_webgpu_util.js';

/** Output pixels along each side of a tile: 64, one invocation each. */
const TILE = 8;

/** Whether the tiled program computes this geometry: stride 1, no dilation, channel vectors of one group. */
export function tiledForwardApplies(g: InvolutionGeometry): boolean {
  return (
    g.stride === 1 && g.dilation === 1 && channelComponents(g) === 4 && laneGroups(g, 'c').components === 1
  );
}

/** Channel vectors per invocation: two where eight adjacent channels always share a group, else one. */
function vectorsPerInvocation(g: InvolutionGeometry): 1 | 2 {
  const eightShare = g.groups === 1 || (effectiveLayout(g) === 'contiguous' && g.channelsPerGroup % 8 === 0);
  return g.channels % 8 === 0 && eightShare ? 2 : 1;
}

/** Workgroups: (tiles of the image, channel vectors / vectors per invocation, images). */
export class TiledInvolution2DProgram implements WebGPUProgram {
  readonly variableNames = ['x', 'kernel'];
  readonly variableComponents = [4, 1];
  readonly outputComponent = 4;
  readonly outputShape: number[];
  readonly shaderKey: string;
  readonly workgroupSize: [number, number, number] = [TILE * TILE, 1, 1];
  // Not flat: main() finds its tile, channel vectors and image in workgroupId.
  readonly dispatchLayout = { x: [1, 2], y: [3], z: [0] };
  readonly dispatch: [number, number, number];
  private readonly vectors: 1 | 2;

  constructor(private readonly geometry: InvolutionGeometry) {
    const g = geometry;
    this.vectors = vectorsPerInvocation(g);
    this.outputShape = [g.batch, g.outHeight, g.outWidth, g.channels];
    this.shaderKey = `involution2d_tiled_${geometryKey(g)}_v${this.vectors}`;
    const tiles = Math.ceil(g.outHeight / TILE) * Math.ceil(g.outWidth / TILE);
    this.dispatch = [tiles, g.channels / 4 / this.vectors, g.batch];
  }

  getUserCode(): string {
    const g = this.geometry;
    const V = this.vectors;
    const span = TILE + g.kernelSize - 1;
    const K = g.kernelSize;
    const vectorsPerPixel = g.channels / 4;
    const lanes = Array.from({ length: V }, (_, j) => j);
    return `
      ${PADDING_TERM_WGSL}
      var<workgroup> tile : array<vec4<f32>, ${span * span * V}>;

      fn main() {
        let b = i32(workgroupId.z);
        let cv0 = i32(workgroupId.y) * ${V};
        let height = uniforms.xShape[1];
        let width = uniforms.xShape[2];
        let outHeight = uniforms.outShape[1];
        let outWidth = uniforms.outShape[2];
        let tilesPerRow = (outWidth + ${TILE - 1}) / ${TILE};
        let row0 = (i32(workgroupId.x) / tilesPerRow) * ${TILE};
        let col0 = (i32(workgroupId.x) % tilesPerRow) * ${TILE};

        // The tile's input pixels (zeros outside the image, never used: outside taps add paddingTerm).
        for (var i = i32(localIndex); i < ${span * span * V}; i = i + ${TILE * TILE}) {
          let cell = i / ${V};
          let inRow = row0 - ${g.pad} + cell / ${span};
          let inCol = col0 - ${g.pad} + cell % ${span};
          var value = vec4<f32>(0.0);
          if (inRow >= 0 && inRow < height && inCol >= 0 && inCol < width) {
            value = x[((b * height + inRow) * width + inCol) * ${vectorsPerPixel} + cv0 + i % ${V}];
          }
          tile[i] = value;
        }
        workgroupBarrier();

        let localRow = i32(localIndex) / ${TILE};
        let localCol = i32(localIndex) % ${TILE};
        let outRow = row0 + localRow;
        let outCol = col0 + localCol;
        if (outRow < outHeight && outCol < outWidth) {
          let group = ${groupOfWgsl(g, 'cv0 * 4')};
          let kernelBase = ((b * outHeight + outRow) * outWidth + outCol) * ${g.taps * g.groups};
          ${lanes.map((j) => `var acc${j} = vec4<f32>(0.0);`).join('\n')}
          ${tapLoop(
            g,
            'u',
            (u) => `
            let inRow = outRow + ${u} - ${g.pad};
            ${tapLoop(
              g,
              'v',
              (v) => `
              {
                let inCol = outCol + ${v} - ${g.pad};
                let k = kernel[kernelBase + (${u} * ${K} + ${v}) * ${g.groups} + group];
                if (inRow >= 0 && inRow < height && inCol >= 0 && inCol < width) {
                  let cell = ((localRow + ${u}) * ${span} + localCol + ${v}) * ${V};
                  ${lanes.map((j) => `acc${j} = acc${j} + k * tile[cell + ${j}];`).join('\n')}
                } else {
                  ${lanes.map((j) => `acc${j} = acc${j} + paddingTerm(k);`).join('\n')}
                }
              }`,
            )}`,
          )}
          let outBase = ((b * outHeight + outRow) * outWidth + outCol) * ${vectorsPerPixel} + cv0;
          ${lanes.map((j) => `setOutputAtIndex(outBase + ${j}, acc${j});`).join('\n')}
        }
      }
    `;
  }
}
