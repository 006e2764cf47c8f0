import { MovingAverages, type MovingAveragesAttrs } from '../kernel_names.js';
import type { FloatKernel } from './float_kernel.js';

const f32 = Math.fround;

/** {@link MovingAverages} on typed arrays: each step rounded to float32 as the stock Sub, Mul and Sub round it. */
export const floatMovingAverages: FloatKernel = {
  kernelName: MovingAverages,
  inputNames: ['movingMean', 'movingVariance', 'mean', 'variance'],
  outputShapes: (inputs) => [inputs['movingMean']!.shape, inputs['movingVariance']!.shape],
  compute: (inputs, outputs, attrs) => {
    const rate = f32(1 - (attrs as unknown as MovingAveragesAttrs).momentum);
    (
      [
        ['movingMean', 'mean'],
        ['movingVariance', 'variance'],
      ] as const
    ).forEach(([moving, batch], k) => {
      const [current, target, out] = [inputs[moving]!, inputs[batch]!, outputs[k]!];
      for (let i = 0; i < out.length; i++)
        out[i] = f32(current[i]! - f32(f32(current[i]! - target[i]!) * rate));
    });
  },
};
