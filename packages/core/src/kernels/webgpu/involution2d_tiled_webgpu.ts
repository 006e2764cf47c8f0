/**
 * The involution's forward pass and input gradient for GPUs at stride 1: a workgroup computes an 8×8 tile of
 * pixels for one or two channel vectors, after loading the (8 + K − 1)² pixels of x (or dy) the tile reads
 * into workgroup memory once.
 *
 * Why: each input element is read by K² outputs. The flat program (involution2d_webgpu.ts) reads it K² times
 * from global memory and leaves the reuse to the caches: per output vec4, K² vec4 loads of x (16 bytes each)
 * and K² kernel loads, 49 + 49 loads at RedNet's K = 7. Here x costs (8 + K − 1)²/64 vec4 loads per output
 * (3.1 at K = 7: 16× fewer) and the K² reads come from workgroup memory; with two vec4 per invocation (when 8
 * channels share a group) each kernel value loaded serves 8 channels, halving the kernel's traffic too. What
 * remains is the kernel, K² floats per pixel and group that no two pixels share: at RedNet's layer
 * ([64,16,16,64], K 7, G 4) 3.2 MB of kernel against 1 MB of x and 1 MB of output, so the kernel's one read
 * is the bound (memory bandwidth); with float16 storage (op/float16_kernels.ts) it reads 2 bytes a value.
 *
 * The input gradient is the same gather mirrored: dx at (i, j) reads dy and the kernel at the K² output
 * pixels (i + p − u, j + p − v) whose windows cover it; the dy tile replaces K² global reads of dy, and the
 * kernel's K² values per pixel are read once each, shared by the invocation's channel vectors.
 *
 * Taps are summed in the flat programs' order (row-major over u, v), so each agrees with its flat program to
 * the last bit where the compiler contracts alike; an out-of-image tap of the forward pass adds paddingTerm(k)
 * as there.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { InvolutionGeometry } from '../../op/geometry.js';
import type { KernelStorage } from './float16_wgsl.js';
import {
  channelComponents,
  effectiveLayout,
  geometryKey,
  groupOfWgsl,
  lanesShareGroup,
  PADDING_TERM_WGSL,
  tapLoop,
} from './involution_webgpu_util.js';

/** Output pixels along each side of a tile: 64, one invocation each. */
const TILE = 8;

/** Whether the tiled programs compute this geometry: stride 1, no dilation, channel vectors of one group. */
export function tiledApplies(g: InvolutionGeometry): boolean {
  return g.stride === 1 && g.dilation === 1 && channelComponents(g) === 4 && lanesShareGroup(g);
}

/** Channel vectors per invocation: two where eight adjacent channels always share a group, else one. */
function vectorsPerInvocation(g: InvolutionGeometry): 1 | 2 {
  const eightShare = g.groups === 1 || (effectiveLayout(g) === 'contiguous' && g.channelsPerGroup % 8 === 0);
  return g.channels % 8 === 0 && eightShare ? 2 : 1;
}

/** Workgroups: (tiles of the image, channel vectors / vectors per invocation, images). */
abstract class TiledProgram implements WebGPUProgram {
  abstract readonly variableNames: string[];
  readonly variableComponents = [4, 1];
  readonly outputComponent = 4;
  readonly outputShape: number[];
  readonly shaderKey: string;
  readonly workgroupSize: [number, number, number] = [TILE * TILE, 1, 1];
  // Not flat: main() finds its tile, channel vectors and image in workgroupId.
  readonly dispatchLayout = { x: [1, 2], y: [3], z: [0] };
  readonly dispatch: [number, number, number];
  protected readonly vectors: 1 | 2;

  constructor(
    protected readonly geometry: InvolutionGeometry,
    protected readonly storage: KernelStorage,
    name: string,
    height: number,
    width: number,
  ) {
    const g = geometry;
    this.vectors = vectorsPerInvocation(g);
    this.outputShape = [g.batch, height, width, g.channels];
    this.shaderKey = `${name}_${geometryKey(g)}_v${this.vectors}_${storage.key}`;
    this.dispatch = [
      Math.ceil(height / TILE) * Math.ceil(width / TILE),
      g.channels / 4 / this.vectors,
      g.batch,
    ];
  }

  abstract getUserCode(): string;

  /**
   * WGSL: the workgroup's tile and channel vectors (b, cv0, row0, col0, localRow, localCol, group, vector
   * accumulators acc0…), `source`'s (8 + K − 1)² pixels from (row0 + `origin`, col0 + `origin`) in `tile`
   * (zeros outside its `height` × `width`, never used), and `body` for each of the tile's pixels inside the
   * output.
   */
  protected tiled(source: string, height: string, width: string, origin: number, body: string): string {
    const g = this.geometry;
    const V = this.vectors;
    const span = TILE + g.kernelSize - 1;
    const vectorsPerPixel = g.channels / 4;
    return `
      ${this.storage.wgsl}
      var<workgroup> tile : array<vec4<f32>, ${span * span * V}>;

      fn main() {
        let b = i32(workgroupId.z);
        let cv0 = i32(workgroupId.y) * ${V};
        let sourceHeight = ${height};
        let sourceWidth = ${width};
        let outHeight = uniforms.outShape[1];
        let outWidth = uniforms.outShape[2];
        let tilesPerRow = (outWidth + ${TILE - 1}) / ${TILE};
        let row0 = (i32(workgroupId.x) / tilesPerRow) * ${TILE};
        let col0 = (i32(workgroupId.x) % tilesPerRow) * ${TILE};
        for (var i = i32(localIndex); i < ${span * span * V}; i = i + ${TILE * TILE}) {
          let cell = i / ${V};
          let sourceRow = row0 + ${origin} + cell / ${span};
          let sourceCol = col0 + ${origin} + cell % ${span};
          var value = vec4<f32>(0.0);
          if (sourceRow >= 0 && sourceRow < sourceHeight && sourceCol >= 0 && sourceCol < sourceWidth) {
            value = ${source}[((b * sourceHeight + sourceRow) * sourceWidth + sourceCol) * ${vectorsPerPixel} + cv0 + i % ${V}];
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
          ${this.lanes()
            .map((j) => `var acc${j} = vec4<f32>(0.0);`)
            .join('\n')}
          ${body}
          let outBase = ((b * outHeight + outRow) * outWidth + outCol) * ${vectorsPerPixel} + cv0;
          ${this.lanes()
            .map((j) => `setOutputAtIndex(outBase + ${j}, acc${j});`)
            .join('\n')}
        }
      }
    `;
  }

  /** The invocation's channel vectors, 0 … V − 1. */
  protected lanes(): number[] {
    return Array.from({ length: this.vectors }, (_, j) => j);
  }

  /** WGSL adding `factor` times tile cell `cell`'s vectors to the accumulators. */
  protected accumulate(factor: string, cell: string): string {
    return this.lanes()
      .map((j) => `acc${j} = acc${j} + ${factor} * tile[(${cell}) * ${this.vectors} + ${j}];`)
      .join('\n');
  }
}

/** The forward pass: out at (outRow, outCol) sums kernel(u, v) · x(outRow + u − p, outCol + v − p). */
export class TiledInvolution2DProgram extends TiledProgram {
  readonly variableNames = ['x', 'kernel'];

  constructor(geometry: InvolutionGeometry, storage: KernelStorage) {
    super(geometry, storage, 'involution2d_tiled', geometry.outHeight, geometry.outWidth);
  }

  getUserCode(): string {
    const g = this.geometry;
    const span = TILE + g.kernelSize - 1;
    const taps = tapLoop(
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
          let k = ${this.storage.read(`kernelBase + (${u} * ${g.kernelSize} + ${v}) * ${g.groups} + group`)};
          if (inRow >= 0 && inRow < sourceHeight && inCol >= 0 && inCol < sourceWidth) {
            ${this.accumulate('k', `(localRow + ${u}) * ${span} + localCol + ${v}`)}
          } else {
            ${this.lanes()
              .map((j) => `acc${j} = acc${j} + paddingTerm(k);`)
              .join('\n')}
          }
        }`,
      )}`,
    );
    return `
      ${PADDING_TERM_WGSL}
      ${this.tiled(
        'x',
        'uniforms.xShape[1]',
        'uniforms.xShape[2]',
        -g.pad,
        `let kernelBase = ((b * outHeight + outRow) * outWidth + outCol) * ${g.taps * g.groups};
        ${taps}`,
      )}
    `;
  }
}

/**
 * The input gradient: dx at (outRow, outCol) (an input pixel) sums kernel(u, v) · dy at the output pixel
 * (outRow + p − u, outCol + p − v) wherever that lies inside dy.
 */
export class TiledInvolution2DBackpropInputProgram extends TiledProgram {
  readonly variableNames = ['dy', 'kernel'];

  constructor(geometry: InvolutionGeometry, storage: KernelStorage) {
    super(geometry, storage, 'involution2dBackpropInput_tiled', geometry.inHeight, geometry.inWidth);
  }

  getUserCode(): string {
    const g = this.geometry;
    const K = g.kernelSize;
    const span = TILE + K - 1;
    // The tile starts K − 1 − p before the workgroup's first pixel: tap u reads tile row localRow + K − 1 − u.
    const taps = tapLoop(
      g,
      'u',
      (u) => `
      let dyRow = outRow + ${g.pad} - ${u};
      if (dyRow >= 0 && dyRow < sourceHeight) {
        ${tapLoop(
          g,
          'v',
          (v) => `
          {
            let dyCol = outCol + ${g.pad} - ${v};
            if (dyCol >= 0 && dyCol < sourceWidth) {
              let pixel = (b * sourceHeight + dyRow) * sourceWidth + dyCol;
              let k = ${this.storage.read(`(pixel * ${g.taps} + ${u} * ${K} + ${v}) * ${g.groups} + group`)};
              ${this.accumulate('k', `(localRow + ${K - 1} - ${u}) * ${span} + localCol + ${K - 1} - ${v}`)}
            }
          }`,
        )}
      }`,
    );
    return this.tiled('dy', 'uniforms.dyShape[1]', 'uniforms.dyShape[2]', g.pad - (K - 1), taps);
  }
}
