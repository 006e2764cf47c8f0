/**
 * Batch norm in training mode on WebGPU: the statistics over every axis but the last (channels), then the
 * normalisation, in WGSL rather than about ten stock kernels (`tf.moments` transposes, the affine map
 * broadcasts). Two passes over x for the statistics, as the float64 reference and the cpu/wasm kernels take
 * them (the mean, then the mean squared deviation from it: a variance that never cancels away when the mean
 * is large), and one pass to write y: x is read three times and y written once, the least two-pass
 * statistics allow.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BatchNormTraining, type BatchNormTrainingAttrs } from '@inv/kernels';
import { channelSums, wgslFloat } from './channel_sums_webgpu.js';
import { FlatProgram } from './flat_program.js';

/** y = x·gain + (offset − mean·gain), gain = scale / √(variance + ε), then ReLU where asked: one per element. */
class BatchNormApplyProgram extends FlatProgram {
  readonly variableNames = ['x', 'mean', 'variance', 'scale', 'offset'];

  constructor(
    shape: number[],
    private readonly attrs: BatchNormTrainingAttrs,
  ) {
    super(shape, `batch_norm_apply_${shape.at(-1)}_${attrs.epsilon}_${attrs.activation}`);
  }

  getUserCode(): string {
    const C = this.outputShape.at(-1)!;
    const value = this.attrs.activation === 'relu' ? 'max(affine, 0.0)' : 'affine';
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = index % ${C};
          let gain = scale[c] * inverseSqrt(variance[c] + ${wgslFloat(this.attrs.epsilon)});
          let affine = x[index] * gain + (offset[c] - mean[c] * gain);
          setOutputAtIndex(index, ${value});
        }
      }
    `;
  }
}

export const batchNormTrainingWebGPUConfig: KernelConfig = {
  kernelName: BatchNormTraining,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { x, scale, offset } = inputs as { x: TensorInfo; scale: TensorInfo; offset: TensorInfo };
    const a = attrs as unknown as BatchNormTrainingAttrs;
    const gpu = backend as WebGPUBackend;
    const C = x.shape.at(-1)!;
    const element = `x[r * ${C} + c]`;
    const [mean] = channelSums(gpu, [x], ['x'], [element], 'mean');
    const centred = `(${element} - mean[c]) * (${element} - mean[c])`;
    const [variance] = channelSums(gpu, [x, mean!], ['x', 'mean'], [centred], 'mean');
    const y = gpu.runWebGPUProgram(
      new BatchNormApplyProgram(x.shape, a),
      [x, mean!, variance!, scale, offset],
      'float32',
    );
    return [y, mean!, variance!];
  },
};
