/**
 * WebGPU-specific involution cases: every code path of the fused WGSL kernels (scalar / vec4 channels,
 * shared / per-lane groups, the three kernel-gradient vectorisations, unrolled / looped taps, stride
 * divisibility in the gather), shapes that cross workgroup boundaries and the per-dimension dispatch limit,
 * many groups, and shader-key separation. The full op matrix on every backend lives in involution2d.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BatchNormTraining,
  BatchNormTrainingGrad,
  Involution2D,
  Involution2DBackpropInput,
  Involution2DBackpropKernel,
  FLOAT16_KERNELS_FLAG,
  PackFloat16,
  initBackend,
  involution,
  involution2d,
} from '../src/index.js';
import type { Involution2DOptions } from '../src/index.js';
import { involutionGeometry, outputExtent, type InvolutionGeometry } from '../src/op/geometry.js';
import { resolveInvolutionAttrs, resolvePad } from '../src/op/options.js';
import { Involution2DProgram } from '../src/kernels/webgpu/involution2d_webgpu.js';
import { TiledInvolution2DProgram, tiledApplies } from '../src/kernels/webgpu/involution2d_tiled_webgpu.js';
import { Involution2DBackpropInputProgram } from '../src/kernels/webgpu/involution2d_backprop_input_webgpu.js';
import { Involution2DBackpropKernelProgram } from '../src/kernels/webgpu/involution2d_backprop_kernel_webgpu.js';
import { webgpuKernelConfigs } from '../src/kernels/webgpu/register_webgpu.js';
import { kernelStorageOf } from '../src/kernels/webgpu/float16_wgsl.js';
import {
  float16Bits,
  involution2dGradReference,
  involution2dReference,
  roundToFloat16,
  type ReferenceArray,
} from '../src/testing/index.js';
import { float16ProbeValues } from './helpers/float16_values.js';
import { useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('involution2d_webgpu.test.ts', beforeEach);

async function startWebGPU(): Promise<boolean> {
  try {
    await initBackend('webgpu');
    return true;
  } catch (error) {
    if (process.env['CI'] === 'true') throw error;
    console.warn(
      `[inv tests] skipping webgpu kernel tests: ${error instanceof Error ? error.message : String(error)}`,
    );
    return false;
  }
}

const hasWebGPU = await startWebGPU();

interface Case {
  x: [number, number, number, number];
  options: Involution2DOptions & { groups: number };
}

function kernelShape({ x, options }: Case): [number, number, number, number, number] {
  const { kernelSize: K, stride = 1, dilation = 1, groups } = options;
  const pad = resolvePad('test', options.padding, K, dilation);
  const extent = (n: number): number => outputExtent(n, K, stride, dilation, pad);
  return [x[0], extent(x[1]), extent(x[2]), K * K, groups];
}

/** Reads back asynchronously: webgpu's dataSync needs OffscreenCanvas, which Node lacks. */
async function asReference(t: tf.Tensor): Promise<ReferenceArray> {
  return { data: Float64Array.from(await t.data()), shape: [...t.shape] };
}

/** Largest |actual - expected| / (1 + |expected|): float32 sums of up to K²·C/G products stay well below 1e-4. */
async function maxRelativeError(actual: tf.Tensor, expected: ReferenceArray): Promise<number> {
  expect(actual.shape).toEqual(expected.shape);
  const a = await actual.data();
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs(a[i]! - expected.data[i]!) / (1 + Math.abs(expected.data[i]!)));
  return worst;
}

/**
 * Forward and both gradients (through tf.grads, so the registered gradient and kernels run) vs float64. With
 * `float16` the references take the kernel rounded to float16, as the kernels store it; the sums stay float32,
 * so the bound stays.
 */
async function checkAgainstReference(c: Case, storage: 'float32' | 'float16' = 'float32'): Promise<void> {
  const x = random.tensorNormal(c.x) as tf.Tensor4D;
  const kernel = random.tensorNormal(kernelShape(c)) as tf.Tensor5D;
  const out = involution2d(x, kernel, c.options);
  const dy = random.tensorNormal(out.shape);
  const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
    tf.sum(tf.mul(involution2d(a as tf.Tensor4D, b as tf.Tensor5D, c.options), dy));
  const [dx, dk] = tf.grads(f)([x, kernel]);
  const [xRef, kernelRef, dyRef] = await Promise.all([x, kernel, dy].map(asReference));
  if (storage === 'float16') kernelRef!.data = kernelRef!.data.map(roundToFloat16);
  expect(await maxRelativeError(out, involution2dReference(xRef!, kernelRef!, c.options))).toBeLessThan(1e-4);
  const ref = involution2dGradReference(xRef!, kernelRef!, dyRef!, c.options);
  expect(await maxRelativeError(dx!, ref.dx)).toBeLessThan(1e-4);
  expect(await maxRelativeError(dk!, ref.dkernel)).toBeLessThan(1e-4);
  tf.dispose([x, kernel, out, dy, dx!, dk!]);
}

// Each row names the code paths it is there for (forward/dx lanes, dkernel vectorisation, taps).
const cases: [string, Case][] = [
  ['C%4≠0 scalar, K3 s1, dk none', { x: [2, 9, 11, 3], options: { kernelSize: 3, groups: 1 } }],
  [
    'vec4 shared group, G1, K5 d2, dk channels',
    { x: [2, 13, 10, 8], options: { kernelSize: 5, dilation: 2, groups: 1 } },
  ],
  [
    'vec4 shared group, contiguous G2, s2, dk channels',
    { x: [3, 11, 9, 16], options: { kernelSize: 3, stride: 2, groups: 2 } },
  ],
  [
    'vec4 per-lane, contiguous Cg2, dk none',
    { x: [2, 7, 8, 8], options: { kernelSize: 3, groups: 4, groupLayout: 'contiguous' } },
  ],
  [
    'vec4 per-lane, interleaved G2, s3, dk none',
    { x: [2, 14, 13, 8], options: { kernelSize: 3, stride: 3, groups: 2, groupLayout: 'interleaved' } },
  ],
  [
    'vec4 per-lane, interleaved G4, K7, dk groups',
    { x: [2, 12, 9, 16], options: { kernelSize: 7, groups: 4, groupLayout: 'interleaved' } },
  ],
  [
    'vec4 per-lane, interleaved G3 (lanes wrap), dk none',
    { x: [2, 6, 7, 12], options: { kernelSize: 3, groups: 3, groupLayout: 'interleaved' } },
  ],
  ['K1 s2', { x: [2, 9, 7, 12], options: { kernelSize: 1, stride: 2, groups: 4 } }],
  [
    'K9 looped taps, s2 d2',
    {
      x: [1, 21, 19, 4],
      options: { kernelSize: 9, stride: 2, dilation: 2, groups: 2, groupLayout: 'interleaved' },
    },
  ],
  [
    'valid padding, s3 d2, odd sizes',
    {
      x: [2, 17, 15, 6],
      options: {
        kernelSize: 3,
        stride: 3,
        dilation: 2,
        padding: 'valid',
        groups: 2,
        groupLayout: 'interleaved',
      },
    },
  ],
  [
    'explicit pad 1 with K5 (far side cropped)',
    { x: [2, 10, 11, 4], options: { kernelSize: 5, stride: 2, padding: 1, groups: 1 } },
  ],
  [
    'G16 contiguous (Cg4: one vec4 per group; tiled, one vector)',
    { x: [2, 7, 9, 64], options: { kernelSize: 3, groups: 16 } },
  ],
  [
    'G16 interleaved, s2 d2, dk groups',
    {
      x: [2, 9, 8, 32],
      options: { kernelSize: 5, stride: 2, dilation: 2, groups: 16, groupLayout: 'interleaved' },
    },
  ],
  [
    'G32 = C (Cg1: layouts agree)',
    { x: [1, 6, 5, 32], options: { kernelSize: 3, groups: 32, groupLayout: 'contiguous' } },
  ],
  [
    'RedNet-like K7 G4 C64, batch 3 (tiled, two vectors)',
    { x: [3, 8, 8, 64], options: { kernelSize: 7, groups: 4 } },
  ],
  [
    'tiled, G1 C8 (two vectors), K9 looped taps, edge tiles',
    { x: [2, 19, 13, 8], options: { kernelSize: 9, groups: 1 } },
  ],
  [
    'tiled, valid padding, contiguous G2 Cg8, edge tiles',
    { x: [1, 11, 17, 16], options: { kernelSize: 5, padding: 'valid', groups: 2 } },
  ],
  [
    'tiled, explicit pad 1 with K5 (far side cropped)',
    { x: [2, 10, 11, 4], options: { kernelSize: 5, padding: 1, groups: 1 } },
  ],
];

const describeWebGPU = describe.skipIf(!hasWebGPU);

describeWebGPU('involution2d fused webgpu kernels', () => {
  it('are the registered webgpu kernels', () => {
    for (const config of webgpuKernelConfigs) {
      expect(tf.getKernel(config.kernelName, 'webgpu')?.kernelFunc).toBe(config.kernelFunc);
    }
    expect(webgpuKernelConfigs.map((k) => k.kernelName).sort()).toEqual(
      [
        Involution2D,
        Involution2DBackpropInput,
        Involution2DBackpropKernel,
        PackFloat16,
        BatchNormTraining,
        BatchNormTrainingGrad,
      ].sort(),
    );
    expect(tf.getBackend()).toBe('webgpu');
  });

  it.each(cases)('matches the float64 reference: %s', (_name, c) => checkAgainstReference(c));

  it('runs the tiled forward program where the case names it, the flat one elsewhere', () => {
    for (const [name, c] of cases) {
      const attrs = resolveInvolutionAttrs(c.x, kernelShape(c), c.options);
      expect(tiledApplies(involutionGeometry(c.x, attrs)), name).toBe(name.includes('tiled'));
    }
  });

  it('is exact beyond one dispatch dimension (> 65535 workgroups of 64) in all three kernels', async () => {
    // Forward/dx: 257·255·65 = 4.26M scalar invocations; dkernel: 257·255·9·13 = 7.67M.
    await checkAgainstReference({
      x: [1, 257, 255, 65],
      options: { kernelSize: 3, groups: 13, groupLayout: 'interleaved' },
    });
  });

  it('gives every geometry that changes the generated code its own shader key', () => {
    const x: [number, number, number, number] = [2, 12, 12, 16];
    const variants: Involution2DOptions[] = [
      { kernelSize: 3, groups: 4 },
      { kernelSize: 5, groups: 4 },
      { kernelSize: 3, groups: 4, stride: 2 },
      { kernelSize: 3, groups: 4, dilation: 2 },
      { kernelSize: 3, groups: 4, padding: 'valid' },
      { kernelSize: 3, groups: 2 },
      { kernelSize: 3, groups: 4, groupLayout: 'interleaved' },
    ];
    const float32 = kernelStorageOf('float32');
    for (const program of [
      (g: InvolutionGeometry) => new Involution2DProgram(g, float32),
      (g: InvolutionGeometry) => new Involution2DBackpropInputProgram(g, float32),
      (g: InvolutionGeometry) => new Involution2DBackpropKernelProgram(g),
    ]) {
      const keys = variants.map((options) => {
        const attrs = resolveInvolutionAttrs(
          x,
          kernelShape({ x, options: { ...options, groups: options.groups! } }),
          options,
        );
        return program(involutionGeometry(x, attrs)).shaderKey;
      });
      expect(new Set(keys).size).toBe(variants.length);
    }
    const attrs = resolveInvolutionAttrs(x, [2, 12, 12, 9, 4], { kernelSize: 3, groups: 4 });
    for (const program of [
      (g: InvolutionGeometry, dtype: string) => new Involution2DProgram(g, kernelStorageOf(dtype)),
      (g: InvolutionGeometry, dtype: string) =>
        new Involution2DBackpropInputProgram(g, kernelStorageOf(dtype)),
      (g: InvolutionGeometry, dtype: string) => new TiledInvolution2DProgram(g, kernelStorageOf(dtype)),
    ]) {
      const g = involutionGeometry(x, attrs);
      expect(program(g, 'float32').shaderKey).not.toBe(program(g, 'int32').shaderKey);
    }
  });
});

describeWebGPU('float16 kernel storage (INV_WEBGPU_FLOAT16_KERNELS)', () => {
  afterEach(() => tf.env().set(FLOAT16_KERNELS_FLAG, false));

  it('packs float32 into float16 words bit for bit as the float64 reference rounds', async () => {
    const values = float16ProbeValues(random, 5000);
    // An even and an odd count: the last word of the odd one holds one value and a +0 high half.
    for (const length of [values.length - (values.length % 2), values.length - 1 + (values.length % 2)]) {
      const x = tf.tensor2d(values.subarray(0, length), [1, length]);
      const words = tf.engine().runKernel(PackFloat16, { x }) as tf.Tensor;
      expect(words.dtype).toBe('int32');
      expect(words.shape).toEqual([Math.ceil(length / 2)]);
      const data = (await words.data()) as Int32Array;
      for (let i = 0; i < length; i++) {
        const half = (data[i >> 1]! >>> (16 * (i & 1))) & 0xffff;
        if (Number.isNaN(values[i]!)) {
          expect((half & 0x7c00) === 0x7c00 && (half & 0x3ff) !== 0, `NaN at ${i}`).toBe(true);
        } else {
          expect(half, `${values[i]} at ${i}`).toBe(float16Bits(values[i]!));
        }
      }
      if (length % 2 === 1) expect(data[data.length - 1]! >>> 16).toBe(0);
      tf.dispose([x, words]);
    }
  });

  // One case per program the words reach: flat and tiled forward and dx, scalar and per-lane reads,
  // unrolled and looped taps, an odd kernel element count (a half-filled last word).
  const float16Cases = cases.filter(([name]) =>
    [
      'C%4≠0 scalar, K3 s1, dk none',
      'vec4 per-lane, interleaved G2, s3, dk none',
      'vec4 shared group, contiguous G2, s2, dk channels',
      'K9 looped taps, s2 d2',
      'RedNet-like K7 G4 C64, batch 3 (tiled, two vectors)',
      'tiled, G1 C8 (two vectors), K9 looped taps, edge tiles',
    ].includes(name),
  );
  it.each(float16Cases)('match the float64 reference of the rounded kernel: %s', async (_name, c) => {
    tf.env().set(FLOAT16_KERNELS_FLAG, true);
    await checkAgainstReference(c, 'float16');
  });

  it('round the kernel once: forward and input gradient see the float16 value', async () => {
    // 1 + 2^-12 is a quarter of float16's step above 1, so it is stored as 1: the forward pass then sums x
    // over each window and dx sums dy, where float32 kernels would scale both by 1 + 2^-12 (2.4e-4).
    const c: Case = { x: [2, 9, 8, 8], options: { kernelSize: 3, groups: 2 } };
    const x = random.tensorNormal(c.x) as tf.Tensor4D;
    const kernel = tf.fill(kernelShape(c), 1 + 2 ** -12) as tf.Tensor5D;
    const dy = random.tensorNormal([2, 9, 8, 8]);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
      tf.sum(tf.mul(involution2d(a as tf.Tensor4D, b as tf.Tensor5D, c.options), dy));
    const [xRef, dyRef] = await Promise.all([x, dy].map(asReference));
    const ones: ReferenceArray = { data: new Float64Array(kernel.size).fill(1), shape: [...kernel.shape] };
    const run = async (): Promise<[tf.Tensor, tf.Tensor]> => {
      const out = involution2d(x, kernel, c.options);
      const [dx] = tf.grads(f)([x, kernel]);
      return [out, dx!];
    };
    const [out32, dx32] = await run();
    tf.env().set(FLOAT16_KERNELS_FLAG, true);
    const [out16, dx16] = await run();
    const reference = involution2dReference(xRef!, ones, c.options);
    const gradients = involution2dGradReference(xRef!, ones, dyRef!, c.options);
    expect(await maxRelativeError(out16, reference)).toBeLessThan(1e-6);
    expect(await maxRelativeError(dx16, gradients.dx)).toBeLessThan(1e-6);
    expect(await maxRelativeError(out32, reference)).toBeGreaterThan(1e-5);
    expect(await maxRelativeError(dx32, gradients.dx)).toBeGreaterThan(1e-5);
    tf.dispose([x, kernel, dy, out32, dx32, out16, dx16]);
  });

  it("hold half the kernel bytes through an Involution layer's training step", async () => {
    // RedNet's layer shape: the kernel (49·4 values a pixel) is 3× x, so what the step holds shows it. x is
    // a variable, as a layer's input inside a network is: its gradient is computed either way.
    const x = tf.variable(random.tensorNormal([4, 16, 16, 64]));
    const layer = involution({ kernelSize: 7, groups: 4, seed: random.nextSeed() });
    layer.apply(x);
    const kernelBytes = 4 * 16 * 16 * 49 * 4 * 4;
    const peak = async (): Promise<number> => {
      const before = tf.memory().numBytes;
      const profile = await tf.profile(() => {
        const { value, grads } = tf.variableGrads(
          () => tf.sum(layer.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        );
        tf.dispose([value, ...Object.values(grads)]);
      });
      return profile.peakBytes - before;
    };
    const float32 = await peak();
    tf.env().set(FLOAT16_KERNELS_FLAG, true);
    const float16 = await peak();
    expect(float32 - float16).toBeGreaterThanOrEqual(kernelBytes / 2);
    tf.dispose(x);
    layer.dispose();
  });

  it('leave other backends on float32 kernels', async () => {
    tf.env().set(FLOAT16_KERNELS_FLAG, true);
    await tf.setBackend('cpu');
    try {
      const x = tf.ones([1, 4, 4, 4]) as tf.Tensor4D;
      const kernel = tf.fill([1, 4, 4, 9, 1], 1 + 2 ** -12) as tf.Tensor5D;
      const out = involution2d(x, kernel, { kernelSize: 3 });
      // The centre pixel sums nine taps of 1 + 2^-12, which float16 would have stored as 1.
      expect(out.dataSync()[(1 * 4 + 1) * 4]).toBe(Math.fround(9 * (1 + 2 ** -12)));
      tf.dispose([x, kernel, out]);
    } finally {
      await tf.setBackend('webgpu');
    }
  });
});
