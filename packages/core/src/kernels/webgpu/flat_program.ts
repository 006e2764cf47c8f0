/**
 * The shape every inv WebGPU program has: one invocation per `outputComponent` output elements, dispatched
 * flat. The backend's reshapeDispatch folds a dispatch beyond maxComputeWorkgroupsPerDimension (65535) into
 * y/z and the preamble's getGlobalIndex() unfolds it, so the programs only need their `index < uniforms.size`
 * guard (`size`).
 *
 * Nothing here imports @tensorflow/tfjs-backend-webgpu at runtime: that module registers its backend only
 * if `navigator.gpu` exists when it is first imported, and `initBackend('webgpu')` must be the one to do it.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

/** 64 invocations: tfjs-webgpu's choice for element-wise programs, a multiple of every vendor's SIMD width. */
const WORKGROUP_SIZE: [number, number, number] = [64, 1, 1];

/** A program over a flat output; subclasses give the inputs and the WGSL. */
export abstract class FlatProgram implements WebGPUProgram {
  abstract readonly variableNames: string[];
  readonly dispatchLayout: { x: number[] };
  readonly dispatch: [number, number, number];
  readonly workgroupSize = WORKGROUP_SIZE;
  readonly size = true;

  constructor(
    readonly outputShape: number[],
    readonly shaderKey: string,
    readonly outputComponent: 1 | 4 = 1,
    readonly variableComponents?: number[],
  ) {
    const invocations = outputShape.reduce((a, b) => a * b, 1) / outputComponent;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    this.dispatch = [Math.ceil(invocations / WORKGROUP_SIZE[0]), 1, 1];
  }

  abstract getUserCode(): string;
}
