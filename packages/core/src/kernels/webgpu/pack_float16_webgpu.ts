import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { PackFloat16 } from '../../op/kernel_names.js';
import { FlatProgram } from './flat_program.js';
import { FLOAT32_TO_FLOAT16_WGSL } from './float16_wgsl.js';

/**
 * float32 → float16 pairs: one invocation per output word reads two values (4 + 4 bytes) and writes one word
 * (4 bytes), a pass bound by memory bandwidth like a copy of 1.5× the input's bytes.
 */
export class PackFloat16Program extends FlatProgram {
  readonly variableNames = ['x'];

  constructor(length: number) {
    super([Math.ceil(length / 2)], 'packFloat16');
  }

  getUserCode(): string {
    return `
      ${FLOAT32_TO_FLOAT16_WGSL}
      fn main(index : i32) {
        if (index < uniforms.size) {
          let low = float32ToFloat16Bits(x[2 * index]);
          // An odd length leaves the last word's high half +0.0, never read.
          var high = 0u;
          if (2 * index + 1 < uniforms.xShape) {
            high = float32ToFloat16Bits(x[2 * index + 1]);
          }
          setOutputAtIndexI32(index, bitcast<i32>(low | (high << 16u)));
        }
      }
    `;
  }
}

export const packFloat16WebGPUConfig: KernelConfig = {
  kernelName: PackFloat16,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    const length = x.shape.reduce((a, b) => a * b, 1);
    const flat = { ...x, shape: [length] };
    return (backend as WebGPUBackend).runWebGPUProgram(new PackFloat16Program(length), [flat], 'int32');
  },
};
