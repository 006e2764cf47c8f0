/** inv's Identity on wasm shares the buffer (the stock one copies it) and frees it with the last reference. */
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { useTestSeed } from './helpers/random.js';

const random = useTestSeed('identity_wasm.test.ts');

describe('Identity on wasm', async () => {
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
    },
  );
});
