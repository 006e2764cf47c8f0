import * as tf from '@tensorflow/tfjs-core';
import { useSeededStreams, type BeforeEachHook } from '@inv/kernels/testing';

// Seeded random test inputs; the seeds (fresh each run, or INV_TEST_SEED; one stream per test) are
// @inv/kernels/testing's.

/** A seeded stream of test inputs (mulberry32: small, fast, the same in every JS engine). */
export interface TestRandom {
  readonly seed: number;
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** `n` standard normal floats (Box–Muller). */
  normal(n: number): Float32Array;
  /** `n` floats uniform in [low, high). */
  uniformArray(n: number, low?: number, high?: number): Float32Array;
  /** A seed for a seeded tfjs op or initializer. */
  nextSeed(): number;
  /** `tf.randomNormal`, seeded from this stream. */
  tensorNormal(shape: number[], mean?: number, std?: number): tf.Tensor;
  /** `tf.randomUniform` in [min, max), seeded from this stream. */
  tensorUniform(shape: number[], min: number, max: number): tf.Tensor;
}

export function testRandom(seed: number): TestRandom {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const nextSeed = (): number => Math.floor(uniform() * 2 ** 32);
  return {
    seed,
    uniform,
    int: (n) => Math.floor(uniform() * n),
    normal(n) {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        values[i] = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
      }
      return values;
    },
    uniformArray(n, low = 0, high = 1) {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = low + (high - low) * uniform();
      return values;
    },
    nextSeed,
    tensorNormal: (shape, mean = 0, std = 1) => tf.randomNormal(shape, mean, std, 'float32', nextSeed()),
    tensorUniform: (shape, min, max) => tf.randomUniform(shape, min, max, 'float32', nextSeed()),
  };
}

/**
 * The seeded input stream of one test file: a fresh seed per run (or `INV_TEST_SEED`), each test its own
 * stream (so a failure replays alone with `-t`), the replay command printed when a test fails. Call it at the
 * top of the file, passing the test runner's `beforeEach` (this module imports no test runner).
 */
export function useTestSeed(file: string, beforeEach: BeforeEachHook): TestRandom {
  const { seed, current } = useSeededStreams(file, beforeEach, testRandom);
  return {
    seed,
    uniform: () => current().uniform(),
    int: (n) => current().int(n),
    normal: (n) => current().normal(n),
    uniformArray: (n, low, high) => current().uniformArray(n, low, high),
    nextSeed: () => current().nextSeed(),
    tensorNormal: (shape, mean, std) => current().tensorNormal(shape, mean, std),
    tensorUniform: (shape, min, max) => current().tensorUniform(shape, min, max),
  };
}
