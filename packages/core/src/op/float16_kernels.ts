/**
 * float16 storage of the generated kernel on webgpu (opt-in): the tfjs flag `INV_WEBGPU_FLOAT16_KERNELS`.
 *
 * What it buys is memory. The kernel is the involution's largest input (K²G values a pixel against C of x:
 * 3.1× x at RedNet's layers, K 7, G C/16), and a training step holds it from the forward pass to the input
 * gradient, the only later pass that reads it (the kernel gradient reads x and dy). Stored as float16 it takes
 * half of that: in the Involution layer, whose scope frees the float32 kernel as soon as the op has packed
 * it, every layer's kernel costs 2 bytes a value until its backward pass instead of 4.
 * What it costs: kernel bytes moved in a step are 4 + 2 (the packing pass) + 2 (forward) + 2 (input
 * gradient) = 10 against 4 + 4 = 8, so a bandwidth-bound step gets slower by up to that (tfjs gives a
 * program one output, so the forward pass cannot write the words itself; a generator writing float16 would
 * make it 2 + 2 + 2), and 11-bit kernels: each value is rounded to the nearest float16 once, before the
 * forward pass, and both passes use that value (sums stay float32), so the input gradient is exactly that of
 * what the forward pass computed; the kernel gradient is the float32 one, passed straight through the
 * rounding (x and dy are not rounded).
 */
import * as tf from '@tensorflow/tfjs-core';
import { involution2dGradients } from './involution2d_grad.js';
import { Involution2D, PackFloat16, type Involution2DAttrs } from './kernel_names.js';

/** The flag: `tf.env().set(FLOAT16_KERNELS_FLAG, true)`, or `?tfjsflags=INV_WEBGPU_FLOAT16_KERNELS:true`. */
export const FLOAT16_KERNELS_FLAG = 'INV_WEBGPU_FLOAT16_KERNELS';

tf.env().registerFlag(FLOAT16_KERNELS_FLAG, () => false);

/** Whether involution2d stores its kernel as float16 now: the flag is set and the backend is webgpu. */
export function float16KernelsActive(): boolean {
  return tf.env().getBool(FLOAT16_KERNELS_FLAG) && tf.getBackend() === 'webgpu';
}

/**
 * The involution with its kernel packed to float16 words first; both passes read the words. A customGrad
 * rather than a registered gradient: that would save the float32 kernel, and a second output for the words
 * would make the tape upload a zero gradient of their size each step. Its one cost: customGrad computes both
 * gradients, so dx is computed where nothing needs it too (a network's input image).
 */
export function involution2dFloat16Kernel(
  x: tf.Tensor4D,
  kernel: tf.Tensor5D,
  attrs: Involution2DAttrs,
): tf.Tensor4D {
  const run = tf.customGrad((...args: unknown[]) => {
    const [input, generated, save] = args as [tf.Tensor4D, tf.Tensor5D, tf.GradSaveFunc];
    const words = tf.engine().runKernel(PackFloat16, { x: generated }) as tf.Tensor;
    save([input, words]);
    return {
      value: tf.engine().runKernel(Involution2D, { x: input, kernel: words }, attrs) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedInput, savedWords] = saved as [tf.Tensor4D, tf.Tensor];
        const gradients = involution2dGradients(dy as tf.Tensor4D, savedInput, savedWords, attrs);
        return [gradients.x(), gradients.kernel()];
      },
    };
  });
  return run(x, kernel) as tf.Tensor4D;
}
