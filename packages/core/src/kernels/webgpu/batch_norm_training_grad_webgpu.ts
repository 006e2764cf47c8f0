/**
 * The gradient of {@link batchNormTrainingWebGPUConfig}'s kernel in WGSL: with g = dy (or dy·step(y) after a
 * ReLU), the per-channel sums Σg and Σg·(x − μ) in one two-pass reduction (channel_sums_webgpu.ts), then
 * per channel gain, k₁, k₀ (from the sums, dMean and dVariance, as `batchNormTrainingBackward` derives them)
 * and dScale = Σg·(x − μ)/σ, and dx = g·gain + (x − μ)·k₁ + k₀ in one pass per element; dOffset = Σg. dy, x
 * and y are read twice each and dx written once.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BatchNormTrainingGrad, type BatchNormTrainingAttrs } from '@inv/kernels';
import { channelSums, wgslFloat } from './channel_sums_webgpu.js';
import { FlatProgram } from './flat_program.js';

/** The gradient through the ReLU (whose output is y), at flat index `i`. */
const gWgsl = (activation: BatchNormTrainingAttrs['activation'], i: string): string =>
  activation === 'relu' ? `select(0.0, dy[${i}], y[${i}] > 0.0)` : `dy[${i}]`;

/** The inputs g is made of: y only after a ReLU (WebGPU drops an unused binding, and tfjs binds them all). */
const gInputs = (activation: BatchNormTrainingAttrs['activation']): string[] =>
  activation === 'relu' ? ['dy', 'y'] : ['dy'];

/**
 * Per channel, [gain, k₁, k₀ − μ·k₁, dScale] as rows of a [4, C] output, so that dx needs one per-channel
 * input (a WebGPU stage may bind only 8 storage buffers: the ten inputs of dx's formula do not fit).
 */
class BatchNormGradCoefficientsProgram extends FlatProgram {
  readonly variableNames = ['scale', 'mean', 'variance', 'dMean', 'dVariance', 'sumG', 'sumGCentred'];

  constructor(
    private readonly channels: number,
    private readonly rows: number,
    private readonly epsilon: number,
  ) {
    super([4, channels], `batch_norm_grad_coefficients_${channels}_${rows}_${epsilon}`);
  }

  getUserCode(): string {
    const C = this.channels;
    return `
      fn main(index : i32) {
        if (index < uniforms.size && index < ${C}) {
          let c = index;
          let invStd = inverseSqrt(variance[c] + ${wgslFloat(this.epsilon)});
          let gain = scale[c] * invStd;
          let k1 = (2.0 * dVariance[c] - gain * invStd * invStd * sumGCentred[c]) / ${wgslFloat(this.rows)};
          let k0 = (dMean[c] - gain * sumG[c]) / ${wgslFloat(this.rows)};
          setOutputAtIndex(c, gain);
          setOutputAtIndex(${C} + c, k1);
          setOutputAtIndex(${2 * C} + c, k0 - mean[c] * k1);
          setOutputAtIndex(${3 * C} + c, sumGCentred[c] * invStd);
        }
      }
    `;
  }
}

/** dx = g·gain + x·k₁ + (k₀ − μ·k₁), one per element. */
class BatchNormGradInputProgram extends FlatProgram {
  readonly variableNames: string[];

  constructor(
    shape: number[],
    private readonly activation: BatchNormTrainingAttrs['activation'],
  ) {
    super(shape, `batch_norm_grad_input_${shape.at(-1)}_${activation}`);
    this.variableNames = [...gInputs(activation), 'x', 'coefficients'];
  }

  getUserCode(): string {
    const C = this.outputShape.at(-1)!;
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let c = index % ${C};
          let g = ${gWgsl(this.activation, 'index')};
          setOutputAtIndex(index, g * coefficients[c] + x[index] * coefficients[${C} + c] + coefficients[${2 * C} + c]);
        }
      }
    `;
  }
}

/** Row `row` of a [rows, C] tensor as a [C] one. */
class RowProgram extends FlatProgram {
  readonly variableNames = ['matrix'];

  constructor(
    channels: number,
    private readonly row: number,
  ) {
    super([channels], `row_${row}_of_${channels}`);
  }

  getUserCode(): string {
    const C = this.outputShape[0]!;
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          setOutputAtIndex(index, matrix[${this.row * C} + index]);
        }
      }
    `;
  }
}

export const batchNormTrainingGradWebGPUConfig: KernelConfig = {
  kernelName: BatchNormTrainingGrad,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const named = inputs as Record<
      'dy' | 'x' | 'y' | 'scale' | 'mean' | 'variance' | 'dMean' | 'dVariance',
      TensorInfo
    >;
    const a = attrs as unknown as BatchNormTrainingAttrs;
    const gpu = backend as WebGPUBackend;
    const C = named.x.shape.at(-1)!;
    const rows = named.x.shape.reduce((p, q) => p * q, 1) / C;
    const gNames = gInputs(a.activation);
    const g = gWgsl(a.activation, `r * ${C} + c`);
    const [sumG, sumGCentred] = channelSums(
      gpu,
      [named.x, ...gNames.map((n) => named[n as 'dy' | 'y']), named.mean],
      ['x', ...gNames, 'mean'],
      [g, `${g} * (x[r * ${C} + c] - mean[c])`],
      'sum',
    );
    const coefficients = gpu.runWebGPUProgram(
      new BatchNormGradCoefficientsProgram(C, rows, a.epsilon),
      [named.scale, named.mean, named.variance, named.dMean, named.dVariance, sumG!, sumGCentred!],
      'float32',
    );
    const dx = gpu.runWebGPUProgram(
      new BatchNormGradInputProgram(named.x.shape, a.activation),
      [...gNames.map((n) => named[n as 'dy' | 'y']), named.x, coefficients],
      'float32',
    );
    const dScale = gpu.runWebGPUProgram(new RowProgram(C, 3), [coefficients], 'float32');
    gpu.disposeData(sumGCentred!.dataId);
    gpu.disposeData(coefficients.dataId);
    return [dx, dScale, sumG!];
  },
};
