/**
 * fusedAdam against tfjs's Adam on every backend that starts: the same variables, the same seeded random
 * gradients, several steps; the values and both moments must be the same bits, and the checkpoint state the
 * same names and values. Where the backend has the kernel, the step runs it (one call a variable).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { AdamUpdate } from '@inv/kernels';
import { fusedAdam } from '../src/index.js';
import { useTestSeed } from '../src/testing/index.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';

const random = useTestSeed('fused_adam.test.ts', beforeEach);
const backends = await availableTestBackends();

// Vector and scalar tails, and one over several of the engine's 32,768-float tasks.
const SHAPES = [[3, 3, 4, 5], [5], [17, 9], [1], [300, 301]];

const normal = (shape: number[]): tf.Tensor =>
  tf.tensor(random.normal(shape.reduce((a, b) => a * b, 1)), shape);
// data(), not dataSync(): webgpu in Node cannot read back synchronously.
const bits = async (t: tf.Tensor): Promise<Uint32Array> =>
  new Uint32Array(((await t.data()) as Float32Array).slice().buffer);

describe.each(backends)('fusedAdam on %s', (backend) => {
  beforeEach(() => useBackend(backend));

  it('takes the bits of tfjs Adam, step by step, and saves the same state', async () => {
    const start = SHAPES.map((shape) => normal(shape));
    const twins = [tf.train.adam(0.01, 0.9, 0.999, 1e-8), fusedAdam(0.01, 0.9, 0.999, 1e-8)].map(
      (optimizer) => ({
        optimizer,
        variables: start.map((t, i) =>
          tf.variable(t.clone(), true, `adam_${backend}_${optimizer.constructor.name}_${i}`),
        ),
      }),
    );
    for (let step = 0; step < 4; step++) {
      const gradients = SHAPES.map((shape) => normal(shape));
      // Gradients with exact zeros and tiny values too: where v ≈ 0, Adam amplifies any last-bit difference.
      gradients[1] = tf.mul(gradients[1]!, tf.tensor1d([0, 1e-20, 1, 0, 3]));
      for (const twin of twins) {
        twin.optimizer.applyGradients(
          twin.variables.map((v, i) => ({ name: v.name, tensor: gradients[i]! })),
        );
      }
      for (const [i, v] of twins[0]!.variables.entries()) {
        expect(await bits(twins[1]!.variables[i]!), `step ${step}, variable ${i}`).toEqual(await bits(v));
      }
      tf.dispose(gradients);
    }
    const [stock, fused] = await Promise.all(twins.map((t) => t.optimizer.getWeights()));
    expect(fused!.length).toBe(stock!.length);
    for (const [i, w] of fused!.entries()) {
      expect(w.name.replace(/_FusedAdamOptimizer_/, '_AdamOptimizer_')).toBe(stock![i]!.name);
      expect(await bits(w.tensor)).toEqual(await bits(stock![i]!.tensor));
    }
    const profile = await tf.profile(() =>
      twins[1]!.optimizer.applyGradients(
        twins[1]!.variables.map((v) => ({ name: v.name, tensor: tf.onesLike(v) })),
      ),
    );
    const updates = profile.kernels.filter((k) => k.name === AdamUpdate).length;
    expect(updates).toBe(tf.getKernel(AdamUpdate, backend) === undefined ? 0 : SHAPES.length);
    for (const twin of twins) {
      twin.optimizer.dispose();
      tf.dispose(twin.variables);
    }
    tf.dispose(start);
  });
});
