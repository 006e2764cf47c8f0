/**
 * WebGPU-specific involution cases: every code path of the fused WGSL kernels (scalar / vec4 channels,
 * shared / per-lane groups, the three kernel-gradient vectorisations, unrolled / looped taps, stride
 * divisibility in the gather), shapes that cross workgroup boundaries and the per-dimension dispatch limit,
 * many groups, and shader-key separation. The full op matrix on every backend lives in involution2d.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  BatchNormTraining,
  BatchNormTrainingGrad,
  Involution2D,
  Involution2DBackpropInput,
  Involution2DBackpropKernel,
  initBackend,
  involution2d,
} from '../src/index.js';
import type { Involution2DOptions } from '../src/index.js';
import { involutionGeometry, outputExtent } from '../src/op/geometry.js';
import { resolveInvolutionAttrs, resolvePad } from '../src/op/options.js';
import { Involution2DProgram } from '../src/kernels/webgpu/involution2d_webgpu.js';
import { tiledApplies } from '../src/kernels/webgpu/involution2d_tiled_webgpu.js';
import { Involution2DBackpropInputProgram } from '../src/kernels/webgpu/involution2d_backprop_input_webgpu.js';
import { Involution2DBackpropKernelProgram } from '../src/kernels/webgpu/involution2d_backprop_kernel_webgpu.js';
import { webgpuKernelConfigs } from '../src/kernels/webgpu/register_webgpu.js';
import {
  involution2dGradReference,
  involution2dReference,
  type ReferenceArray,
} from '../src/testing/index.js';
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

/** Forward and both gradients (through tf.grads, so the registered gradient and kernels run) vs float64. */
async function checkAgainstReference(c: Case): Promise<void> {
  const x = random.tensorNormal(c.x) as tf.Tensor4D;
  const kernel = random.tensorNormal(kernelShape(c)) as tf.Tensor5D;
  const out = involution2d(x, kernel, c.options);
  const dy = random.tensorNormal(out.shape);
  const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor =>
    tf.sum(tf.mul(involution2d(a as tf.Tensor4D, b as tf.Tensor5D, c.options), dy));
  const [dx, dk] = tf.grads(f)([x, kernel]);
  const [xRef, kernelRef, dyRef] = await Promise.all([x, kernel, dy].map(asReference));
  expect(await maxRelativeError(out, involution2dReference(xRef!, kernelRef!, c.options))).toBeLessThan(1e-4);
  const ref = involution2dGradReference(xRef!, kernelRef!, dyRef!, c.options);
  expect(await maxRelativeError(dx!, ref.dx)).toBeLessThan(1e-4);
  expect(await maxRelativeError(dk!, ref.dkernel)).toBeLessThan(1e-4);
  tf.dispose([x, kernel, out, dy, dx!, dk!]);
}

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
        BatchNormTraining,
        BatchNormTrainingGrad,
      ].sort(),
    );
    expect(tf.getBackend()).toBe('webgpu');
  });

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
    for (const Program of [
      Involution2DProgram,
      Involution2DBackpropInputProgram,
      Involution2DBackpropKernelProgram,
    ]) {
      const keys = variants.map((options) => {
        const attrs = resolveInvolutionAttrs(
          x,
          kernelShape({ x, options: { ...options, groups: options.groups! } }),
          options,
        );
        return new Program(involutionGeometry(x, attrs)).shaderKey;
      });
      expect(new Set(keys).size).toBe(variants.length);
    }
  });
});
