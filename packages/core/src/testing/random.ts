import * as tf from '@tensorflow/tfjs-core';

/**
 * Seeded random test inputs: every run draws a fresh seed (inputs stay fresh, as the rules ask) unless
 * `INV_TEST_SEED` names one, and a test prints its seed on failure, so any failure can be replayed exactly.
 */

/** `INV_TEST_SEED` when set (a failure's seed, to replay it), else a fresh 32-bit seed. */
export function testSeed(env: Record<string, string | undefined> = globalThis.process?.env ?? {}): number {
  const fixed = env['INV_TEST_SEED'];
  if (fixed === undefined || fixed === '') return (Math.random() * 2 ** 32) >>> 0;
  const seed = Number(fixed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new Error(`INV_TEST_SEED must be an integer in [0, 2^32), got ${JSON.stringify(fixed)}`);
  }
  return seed;
}

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

/** The part of a test runner's `beforeEach` (vitest's) that the seed report needs. */
export type BeforeEachHook = (
  hook: (context: { task: { name: string }; onTestFailed(handler: () => void): void }) => void,
) => void;

/** A test's own seed: the file's mixed with the test's name (FNV-1a), so a test draws the same alone or not. */
function testStreamSeed(fileSeed: number, testName: string): number {
  let hash = (fileSeed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < testName.length; i++) hash = Math.imul(hash ^ testName.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * The seeded input stream of one test file: a fresh seed per run (or `INV_TEST_SEED`), printed with the
 * command that replays it when a test of the file fails. Each test draws from its own stream (the seed and
 * its name), so a failure replays with the test run alone (`-t`); draws outside a test use the file's seed.
 * Call it at the top of the file, passing the test runner's `beforeEach` (this module imports no test runner).
 */
export function useTestSeed(file: string, beforeEach: BeforeEachHook): TestRandom {
  const seed = testSeed();
  let stream = testRandom(seed);
  beforeEach(({ task, onTestFailed }) => {
    stream = testRandom(testStreamSeed(seed, task.name));
    onTestFailed(() => {
      console.error(
        `[inv tests] ${file} ran with seed ${seed}: INV_TEST_SEED=${seed} replays it, ` +
          `alone too (vitest -t ${JSON.stringify(task.name)})`,
      );
    });
  });
  return {
    seed,
    uniform: () => stream.uniform(),
    int: (n) => stream.int(n),
    normal: (n) => stream.normal(n),
    uniformArray: (n, low, high) => stream.uniformArray(n, low, high),
    nextSeed: () => stream.nextSeed(),
    tensorNormal: (shape, mean, std) => stream.tensorNormal(shape, mean, std),
    tensorUniform: (shape, min, max) => stream.tensorUniform(shape, min, max),
  };
}
