import { AdamUpdate, type AdamUpdateAttrs } from '../kernel_names.js';
import type { FloatKernel } from './float_kernel.js';

const f32 = Math.fround;

/**
 * {@link AdamUpdate} on typed arrays. Each line is one of tfjs's ops, rounded to float32 as its kernel rounds
 * (a float32 +, ×, ÷ or √ computed in float64 and rounded once is the correctly rounded float32 result), and
 * the constants are the float32 scalars tfjs makes of them: the same bits as `tf.train.adam`.
 */
export const floatAdamUpdate: FloatKernel = {
  kernelName: AdamUpdate,
  inputNames: ['value', 'm', 'v', 'gradient', 'oneMinusAccBeta1', 'oneMinusAccBeta2'],
  outputShapes: (inputs) => [inputs['value']!.shape, inputs['value']!.shape, inputs['value']!.shape],
  compute: (inputs, [newValue, newM, newV], attrs) => {
    const { beta1, beta2, epsilon, learningRate } = attrs as unknown as AdamUpdateAttrs;
    const [value, m, v, gradient] = (['value', 'm', 'v', 'gradient'] as const).map((name) => inputs[name]!);
    const [b1, c1, b2, c2] = [f32(beta1), f32(1 - beta1), f32(beta2), f32(1 - beta2)];
    const [eps, negLr] = [f32(epsilon), f32(-learningRate)];
    const d1 = inputs['oneMinusAccBeta1']![0]!;
    const d2 = inputs['oneMinusAccBeta2']![0]!;
    for (let i = 0; i < value!.length; i++) {
      const g = gradient![i]!;
      const m1 = f32(f32(m![i]! * b1) + f32(g * c1));
      const v1 = f32(f32(v![i]! * b2) + f32(f32(g * g) * c2));
      const step = f32(f32(m1 / d1) / f32(f32(Math.sqrt(f32(v1 / d2))) + eps));
      newM![i] = m1;
      newV![i] = v1;
      newValue![i] = f32(f32(step * negLr) + value![i]!);
    }
  },
};
