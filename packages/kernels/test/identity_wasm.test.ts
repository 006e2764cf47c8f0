/**
 * inv's Identity (and same-dtype Cast) on wasm shares the buffer (the stock one copies it) and frees it with
 * the last reference.
 */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { useTestSeed } from './helpers/random.js';

const random = useTestSeed('identity_wasm.test.ts');

describe('Identity and Cast on wasm', async () => {
  const backends = await availableTestBackends();

  it.runIf(backends.includes('wasm'))(
    'clones by reference and frees the buffer with the last tensor',
    async () => {
      await useBackend('wasm');
      const backend = tf.backend() as BackendWasm;
      const values = Float32Array.from({ length: 1000 }, () => random.uniform());
      const x = tf.tensor(values, [10, 100]);
      const y = tf.clone(x);
      expect(y.dataId).toBe(x.dataId);
      expect(backend.refCount(x.dataId)).toBe(2);
      x.dispose();
      expect(await y.data()).toEqual(values);
      const { dataId } = y;
      y.dispose();
      expect(backend.dataIdMap.has(dataId)).toBe(false);
      // Strings keep the stock kernel.
      const s = tf.tensor(['a', 'bc']);
      expect(await tf.clone(s).data()).toEqual(['a', 'bc']);
      // A cast to the same dtype shares the buffer too; a change of dtype converts.
      const z = tf.tensor(values, [10, 100]);
      const same = tf.cast(z, 'float32');
      expect(same.dataId).toBe(z.dataId);
      expect(backend.refCount(z.dataId)).toBe(2);
      const ints = tf.cast(tf.mul(z, 10), 'int32');
      expect(ints.dtype).toBe('int32');
      expect(await ints.data()).toEqual(Int32Array.from(values, (v) => Math.trunc(Math.fround(v * 10))));
      tf.dispose([z, same, ints]);
    },
  );
});
