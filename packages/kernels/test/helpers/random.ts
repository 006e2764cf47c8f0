import * as tf from '@tensorflow/tfjs-core';
import { beforeEach } from 'vitest';
import { useSeededStreams } from '../../src/testing/index.js';

export { testSeed } from '../../src/testing/index.js';

/** A seeded generator (mulberry32) of uniform floats in [-1, 1): tests print the seed they used. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}

export function randomArray(length: number, random: () => number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = random();
  return out;
}

/** The seeded inputs of one test file. */
export interface TestRandom {
  readonly seed: number;
  /** Uniform in [-1, 1). */
  readonly uniform: () => number;
  /** A seed for a seeded tfjs op or initializer. */
  nextSeed(): number;
  /** `tf.randomNormal`, seeded from this stream. */
  normal(shape: number[], mean?: number, std?: number): tf.Tensor;
  /** `tf.randomUniform` in [min, max), seeded from this stream. */
  uniformTensor(shape: number[], min: number, max: number): tf.Tensor;
}

/**
 * The seeded random stream of one test file: a fresh seed per run (or `INV_TEST_SEED`), each test its own
 * stream, printed with the command that replays it when a test of the file fails.
 */
export function useTestSeed(file: string): TestRandom {
  const { seed, current } = useSeededStreams(file, beforeEach, seededRandom);
  const uniform = (): number => current()();
  const nextSeed = (): number => Math.floor((uniform() + 1) * 2 ** 31);
  return {
    seed,
    uniform,
    nextSeed,
    normal: (shape, mean = 0, std = 1) => tf.randomNormal(shape, mean, std, 'float32', nextSeed()),
    uniformTensor: (shape, min, max) => tf.randomUniform(shape, min, max, 'float32', nextSeed()),
  };
}
