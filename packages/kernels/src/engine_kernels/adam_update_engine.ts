import * as tf from '@tensorflow/tfjs-core';
import { heapFloats, heapOutput } from '../adapters/wasm.js';
import { adamUpdate } from '../engine/adam.js';
import { AdamUpdate, type AdamUpdateAttrs } from '../kernel_names.js';
import { floatAdamUpdate } from '../typed_array/adam_update.js';
import { floatKernelWasmConfig } from '../wasm/float_kernel_wasm.js';
import { wasmEngineIO } from './in_place_engine.js';

const onTypedArrays = floatKernelWasmConfig(floatAdamUpdate).kernelFunc;

/**
 * {@link AdamUpdate} on `wasm`: the engine's SIMD pass in place on the heap (every thread where it is shared,
 * for variables of more than one task), the JS loop where the engine cannot run there. The same bits.
 */
export const adamUpdateWasmConfig: tf.KernelConfig = {
  kernelName: AdamUpdate,
  backendName: 'wasm',
  kernelFunc: (args) => {
    const here = wasmEngineIO.inPlace?.(args.backend);
    if (here === undefined) return onTypedArrays(args);
    const inputs = args.inputs as Record<
      'value' | 'm' | 'v' | 'gradient' | 'oneMinusAccBeta1' | 'oneMinusAccBeta2',
      tf.TensorInfo
    >;
    const { shape } = inputs.value;
    const outputs = [0, 1, 2].map(() => heapOutput(args.backend, shape));
    const [newValue, newM, newV] = outputs.map(here.address) as [number, number, number];
    const attrs = args.attrs as unknown as AdamUpdateAttrs;
    adamUpdate(
      here.engine,
      {
        value: here.address(inputs.value),
        m: here.address(inputs.m),
        v: here.address(inputs.v),
        gradient: here.address(inputs.gradient),
        newValue,
        newM,
        newV,
      },
      tf.util.sizeFromShape(shape),
      {
        ...attrs,
        oneMinusAccBeta1: heapFloats(args.backend, inputs.oneMinusAccBeta1)[0]!,
        oneMinusAccBeta2: heapFloats(args.backend, inputs.oneMinusAccBeta2)[0]!,
      },
    );
    return outputs;
  },
};
