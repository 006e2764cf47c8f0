import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import { describe, expect, it } from 'vitest';
import {
  BATCH_NORM_SHAPES,
  batchNormSuite,
  FUSED_BN_IMPL,
  LAYERS_BN_IMPL,
  OP_MODES,
  prepareBatchNormCase,
} from '../src/index.js';

describe('batchnorm suite', () => {
  it('has a case per shape × impl × mode, and quick ones at an eighth of the batch', () => {
    expect(batchNormSuite.cases({ quick: false })).toHaveLength(
      BATCH_NORM_SHAPES.length * 2 * OP_MODES.length,
    );
    expect(batchNormSuite.cases({ quick: true })[0]!.shape).toBe('32×32×32×32');
  });

  // Small on cpu: both impls agree on the output and on every gradient (same weights, same batch statistics).
  it('both impls compute the same training-mode outputs and gradients', async () => {
    await initBackend('cpu');
    const shape = { name: 'small', shape: [4, 5, 5, 8] as [number, number, number, number] };
    for (const mode of OP_MODES) {
      const [fused, stock] = [FUSED_BN_IMPL, LAYERS_BN_IMPL].map((impl) =>
        prepareBatchNormCase(impl, mode, shape),
      );
      const [a, b] = await Promise.all([fused!.run(), stock!.run()]);
      expect(a.length).toBe(mode === 'forward' ? 1 : 4); // the value, dx, dγ, dβ
      expect(a.length).toBe(b.length);
      for (const [i, t] of a.entries()) {
        const diff = tf.max(tf.abs(tf.sub(t, b[i]!))).dataSync()[0]!;
        expect(diff, `${mode} output ${i}`).toBeLessThan(1e-3);
      }
      tf.dispose([...a, ...b]);
      fused!.dispose();
      stock!.dispose();
    }
  });
});
