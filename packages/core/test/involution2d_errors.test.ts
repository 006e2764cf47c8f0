/**
 * Every bad input to involution2d fails before any kernel runs, with an error naming what was wrong, what was
 * expected and where.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, involution2d, involution2dComposite, type Involution2DOptions } from '../src/index.js';

const zeros = (shape: number[], dtype: 'float32' | 'int32' = 'float32'): tf.Tensor => tf.zeros(shape, dtype);

interface BadCase {
  name: string;
  x: number[];
  kernel: number[];
  options: Involution2DOptions;
  dtype?: { x?: 'int32'; kernel?: 'int32' };
  /** Every fragment must appear in the message. */
  message: string[];
}

const CASES: BadCase[] = [
  {
    name: 'channels not divisible by groups',
    x: [1, 5, 5, 6],
    kernel: [1, 5, 5, 9, 4],
    options: { kernelSize: 3 },
    message: ['involution2d:', 'groups (4) must divide the channels of x [1, 5, 5, 6] (6)'],
  },
  {
    name: 'kernel spatial shape not matching x and stride',
    x: [2, 8, 8, 4],
    kernel: [2, 8, 8, 9, 1],
    options: { kernelSize: 3, stride: 2 },
    message: [
      'kernel shape [2, 8, 8, 9, 1] does not match x [2, 8, 8, 4]',
      'stride 2',
      'expected [2, 4, 4, 9, 1]',
    ],
  },
  {
    name: 'kernel taps not K*K',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 2],
    options: { kernelSize: 5, groups: 2 },
    message: ['K 5', 'expected [1, 6, 6, 25, 2]'],
  },
  {
    name: 'kernel batch differing from x',
    x: [3, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3 },
    message: ['expected [3, 6, 6, 9, 1]'],
  },
  {
    name: 'kernel groups differing from the groups option',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 4],
    options: { kernelSize: 3, groups: 2 },
    message: ['groups 2', 'expected [1, 6, 6, 9, 2]'],
  },
  {
    name: 'stride 0',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3, stride: 0 },
    message: ['stride must be an integer >= 1, got 0'],
  },
  {
    name: 'fractional stride',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3, stride: 1.5 },
    message: ['stride must be an integer >= 1, got 1.5'],
  },
  {
    name: 'dilation 0',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3, dilation: 0 },
    message: ['dilation must be an integer >= 1, got 0'],
  },
  {
    name: 'kernelSize 0',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 1, 1],
    options: { kernelSize: 0 },
    message: ['kernelSize must be an integer >= 1, got 0'],
  },
  {
    name: "even K with 'same'",
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 4, 1],
    options: { kernelSize: 2, padding: 'same' },
    message: [
      "padding 'same' needs an odd kernelSize",
      'got kernelSize 2',
      "use 'valid' or an explicit padding",
    ],
  },
  {
    name: 'negative padding',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3, padding: -1 },
    message: ["padding must be 'same', 'valid' or an integer >= 0, got -1"],
  },
  {
    name: 'unknown group layout',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3, groupLayout: 'blocked' as never },
    message: ["groupLayout must be one of 'contiguous', 'interleaved', got \"blocked\""],
  },
  {
    name: 'input too small for a valid window',
    x: [1, 2, 2, 4],
    kernel: [1, 1, 1, 9, 1],
    options: { kernelSize: 3, padding: 'valid' },
    message: ['input 2×2 is too small for kernelSize 3', 'output would be 0×0'],
  },
  {
    name: 'x of rank 3',
    x: [6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3 },
    message: ['x must be rank 4 [batch, height, width, channels] (NHWC), got rank 3 with shape [6, 6, 4]'],
  },
  {
    name: 'x of rank 5',
    x: [1, 1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3 },
    message: ['x must be rank 4', 'got rank 5'],
  },
  {
    name: 'kernel of rank 4',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9],
    options: { kernelSize: 3 },
    message: [
      'kernel must be rank 5 [batch, outHeight, outWidth, K*K, groups], got rank 4 with shape [1, 6, 6, 9]',
    ],
  },
  {
    name: 'int32 x',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3 },
    dtype: { x: 'int32' },
    message: ['involution2d: x must be float32, got int32'],
  },
  {
    name: 'int32 kernel',
    x: [1, 6, 6, 4],
    kernel: [1, 6, 6, 9, 1],
    options: { kernelSize: 3 },
    dtype: { kernel: 'int32' },
    message: ['involution2d: kernel must be float32, got int32'],
  },
];

describe('involution2d rejects bad input with a specific message', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it.each(CASES)('$name', (c) => {
    const xs = zeros(c.x, c.dtype?.x);
    const kernel = zeros(c.kernel, c.dtype?.kernel);
    const tensorsBefore = tf.memory().numTensors;
    let message = '';
    try {
      involution2d(xs as tf.Tensor4D, kernel as tf.Tensor5D, c.options);
    } catch (error) {
      message = (error as Error).message;
    }
    for (const fragment of c.message) expect(message).toContain(fragment);
    // Validation happens before anything is allocated.
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    tf.dispose([xs, kernel]);
  });

  /** The message of what `call` throws: an Error, never a raw TypeError. */
  const thrown = (call: () => unknown): string => {
    try {
      call();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(TypeError);
      return (error as Error).message;
    }
    throw new Error('expected a throw');
  };

  it('names missing or mistyped options and inputs (no raw TypeError)', () => {
    const x = tf.zeros([1, 6, 6, 4]) as tf.Tensor4D;
    const kernel = tf.zeros([1, 6, 6, 9, 1]) as tf.Tensor5D;
    const call =
      (...args: unknown[]) =>
      () =>
        (involution2d as (...a: unknown[]) => tf.Tensor)(...args);
    expect(thrown(call(x, kernel))).toContain(
      'involution2d: options must be an object { kernelSize, stride?, dilation?, padding?, groups?, groupLayout? }, got undefined',
    );
    expect(thrown(call(x, kernel, 3))).toContain('options must be an object');
    expect(thrown(call(x, kernel, null))).toContain('got null');
    expect(thrown(call(x, kernel, {}))).toContain('kernelSize must be an integer >= 1, got undefined');
    expect(thrown(call(x, kernel, { kernelSize: '3' }))).toContain(
      'kernelSize must be an integer >= 1, got "3"',
    );
    expect(thrown(call(x, kernel, { kernelSize: 3, padding: {} }))).toContain(
      "padding must be 'same', 'valid' or an integer >= 0, got an object",
    );
    expect(thrown(call(undefined, kernel, { kernelSize: 3 }))).toContain(
      'involution2d: x must be a float32 tensor or a nested array of numbers, got undefined',
    );
    expect(thrown(call(x, 'kernel', { kernelSize: 3 }))).toContain(
      'involution2d: kernel must be a float32 tensor or a nested array of numbers, got "kernel"',
    );
    expect(thrown(call(x, { a: 1 }, { kernelSize: 3 }))).toContain(
      'involution2d: kernel must be a float32 tensor',
    );
    const composite =
      (...args: unknown[]) =>
      () =>
        (involution2dComposite as (...a: unknown[]) => tf.Tensor)(...args);
    expect(thrown(composite(x, kernel))).toContain('involution2dComposite: options must be an object');
    expect(thrown(composite(null, kernel, { kernelSize: 3 }))).toContain('involution2dComposite: x must be');
    tf.dispose([x, kernel]);
  });

  it('frees inputs it converted from arrays, also when a check fails', () => {
    const before = tf.memory().numTensors;
    const x = Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => [0, 0, 0, 0]));
    const kernel = [Array.from({ length: 6 }, () => Array.from({ length: 6 }, () => Array(9).fill([0])))];
    expect(() => involution2d([x], kernel, { kernelSize: 5 })).toThrow('expected [1, 6, 6, 25, 1]');
    expect(tf.memory().numTensors).toBe(before);
    const out = involution2d([x], kernel, { kernelSize: 3 });
    expect(out.shape).toEqual([1, 6, 6, 4]);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('accepts the same inputs once corrected (the checks are not over-eager)', () => {
    const out = involution2d(
      tf.zeros([2, 8, 8, 4]) as tf.Tensor4D,
      tf.zeros([2, 4, 4, 9, 2]) as tf.Tensor5D,
      { kernelSize: 3, stride: 2 },
    );
    expect(out.shape).toEqual([2, 4, 4, 4]);
  });
});
