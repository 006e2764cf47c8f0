import * as tf from '@tensorflow/tfjs-core';
import { initBackend, listKernelGenerators } from '@inv/core';
import { describe, expect, it } from 'vitest';
import {
  CONV_LAYER_IMPL,
  involutionLayerImpl,
  layerSuite,
  OP_MODES,
  OP_SHAPES,
  prepareLayerCase,
} from '../src/index.js';

describe('layer suite', () => {
  it('has a case per shape × (every registered generator + the conv2d layer) × mode', () => {
    const impls = [...listKernelGenerators().map(involutionLayerImpl), CONV_LAYER_IMPL];
    const cases = layerSuite.cases({ quick: false });
    expect(cases).toHaveLength(OP_SHAPES.length * impls.length * OP_MODES.length);
    expect(new Set(cases.map((c) => c.impl))).toEqual(new Set(impls));
    expect(layerSuite.comparisons.map((c) => c.subject)).toEqual(impls.slice(0, -1));
  });

  // Batch 1 on cpu: every case builds its layer, runs, and returns finite outputs and one gradient per variable.
  for (const shape of OP_SHAPES.map((s) => ({ ...s, batch: 1 }))) {
    for (const impl of [...listKernelGenerators().map(involutionLayerImpl), CONV_LAYER_IMPL]) {
      it(`${shape.name} ${impl} runs forward and forward+backward`, async () => {
        await initBackend('cpu');
        for (const mode of OP_MODES) {
          const prepared = prepareLayerCase(impl, mode, shape);
          const outputs = await prepared.run();
          try {
            if (mode === 'forward')
              expect(outputs[0]!.shape).toEqual([1, shape.height, shape.width, shape.channels]);
            else expect(outputs.length).toBeGreaterThan(2); // the value, dx and at least one weight gradient
            for (const t of outputs) expect(tf.all(tf.isFinite(t)).dataSync()[0]).toBe(1);
          } finally {
            tf.dispose(outputs);
            prepared.dispose();
          }
        }
      });
    }
  }
});
