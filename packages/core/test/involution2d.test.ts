/**
 * The involution op on every backend that starts: forward against the float64 reference over a matrix of
 * shapes and options, both gradients against the float64 gradient reference and against central finite
 * differences of the op itself, the fused kernels being the ones that run (and agreeing with the composite),
 * and all backends agreeing with each other; NaN and ±Inf meeting the zero padding give what the formula gives
 * everywhere. Inputs are fresh seeded random numbers on every run (a failure prints the seed that replays it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Involution2D,
  Involution2DBackpropInput,
  Involution2DBackpropKernel,
  involution2d,
  involutionGeometry,
  outputExtent,
  type BackendName,
} from '../src/index.js';
import {
  involutionBackpropInputComposite,
  involutionBackpropKernelComposite,
  involutionForwardComposite,
} from '../src/op/involution_composite.js';
import { cpuKernelConfigs } from '../src/kernels/cpu/register_cpu.js';
import { wasmKernelConfigs } from '../src/kernels/wasm/register_wasm.js';
import { webgpuKernelConfigs } from '../src/kernels/webgpu/register_webgpu.js';
import { resolveInvolutionAttrs, resolvePad, type Involution2DOptions } from '../src/op/options.js';
import { involution2dGradReference, involution2dReference } from '../src/testing/index.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('involution2d.test.ts', beforeEach);

interface Case {
  name: string;
  xShape: [number, number, number, number];
  options: Involution2DOptions & { groups: number };
}

// Odd sizes; K 1/2/3/5/7, stride 1/2/3, dilation 1/2, G 1/2/3/4/16, C/G 1/2/3/4/6/8/16 (the register blocks'
// repeated-lane, overlapping and full paths), both layouts, 'same'/'valid'/explicit padding, batch 1 to 4.
const CASES: Case[] = [
  {
    name: 'seed-like C3 K3 G1',
    xShape: [2, 9, 7, 3],
    options: { kernelSize: 3, groups: 1, groupLayout: 'interleaved' },
  },
  {
    name: 'K3 s2 G2 interleaved',
    xShape: [2, 9, 6, 8],
    options: { kernelSize: 3, stride: 2, groups: 2, groupLayout: 'interleaved' },
  },
  {
    name: 'K5 s3 valid G3',
    xShape: [2, 11, 13, 6],
    options: { kernelSize: 5, stride: 3, padding: 'valid', groups: 3 },
  },
  {
    name: 'K7 d2 G4 interleaved',
    xShape: [1, 13, 9, 16],
    options: { kernelSize: 7, dilation: 2, groups: 4, groupLayout: 'interleaved' },
  },
  {
    name: 'K1 s2 valid G16 (C/G 1)',
    xShape: [3, 7, 8, 16],
    options: { kernelSize: 1, stride: 2, padding: 'valid', groups: 16 },
  },
  {
    name: 'K3 d2 pad1 G16 interleaved',
    xShape: [2, 7, 9, 32],
    options: { kernelSize: 3, dilation: 2, padding: 1, groups: 16, groupLayout: 'interleaved' },
  },
  {
    name: 'K5 s2 d2 pad3 G4 (C/G 3)',
    xShape: [1, 10, 7, 12],
    options: { kernelSize: 5, stride: 2, dilation: 2, padding: 3, groups: 4 },
  },
  { name: 'K7 s3 G2 (C/G 6)', xShape: [4, 12, 11, 12], options: { kernelSize: 7, stride: 3, groups: 2 } },
  {
    name: 'K2 pad1 G1 (even K)',
    xShape: [2, 6, 5, 8],
    options: { kernelSize: 2, padding: 1, groups: 1, groupLayout: 'interleaved' },
  },
  {
    name: 'pad 3 > K: border pixels read nothing',
    xShape: [1, 4, 5, 2],
    options: { kernelSize: 3, padding: 3, groups: 2 },
  },
  { name: 'RedNet-like K7 G4 (C/G 16)', xShape: [2, 8, 8, 64], options: { kernelSize: 7, groups: 4 } },
];

const FUSED: Partial<Record<BackendName, tf.KernelConfig[]>> = {
  cpu: cpuKernelConfigs,
  wasm: wasmKernelConfigs,
  webgpu: webgpuKernelConfigs,
};
const KERNEL_NAMES = [Involution2D, Involution2DBackpropInput, Involution2DBackpropKernel];

/** Every backend's fused kernels accumulate in float32 (SIMD on cpu and wasm, shaders on GPUs). */
const TOLERANCE = 2e-5;

interface Inputs {
  x: Float32Array;
  kernel: Float32Array;
  /** Upstream gradient, also the weights w of the finite-difference loss sum(out · w). */
  dy: Float32Array;
  kernelShape: [number, number, number, number, number];
  outShape: [number, number, number, number];
}

interface Results {
  out: Float32Array;
  dx: Float32Array;
  dkernel: Float32Array;
}

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function makeInputs(c: Case): Inputs {
  const { kernelSize: K, stride = 1, dilation = 1, padding, groups } = c.options;
  const pad = resolvePad('test', padding, K, dilation);
  const [B, H, W, C] = c.xShape;
  const Ho = outputExtent(H, K, stride, dilation, pad);
  const Wo = outputExtent(W, K, stride, dilation, pad);
  const kernelShape: Inputs['kernelShape'] = [B, Ho, Wo, K * K, groups];
  const outShape: Inputs['outShape'] = [B, Ho, Wo, C];
  return {
    x: random.normal(size(c.xShape)),
    kernel: random.normal(size(kernelShape)),
    dy: random.normal(size(outShape)),
    kernelShape,
    outShape,
  };
}

function tensors(c: Case, inputs: Inputs, x = inputs.x, kernel = inputs.kernel): [tf.Tensor4D, tf.Tensor5D] {
  return [tf.tensor4d(x, c.xShape), tf.tensor5d(kernel, inputs.kernelShape)];
}

/** Reads and disposes tensors (asynchronously: webgpu in Node cannot read synchronously). */
async function read(ts: tf.Tensor[]): Promise<Float32Array[]> {
  const values = await Promise.all(ts.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(ts);
  return values;
}

/** The op's output and the gradients of sum(out · dy) through tf.grads, on the active backend. */
async function runOp(c: Case, inputs: Inputs): Promise<Results> {
  const [out, dx, dkernel] = await read(
    tf.tidy(() => {
      const [x, kernel] = tensors(c, inputs);
      const dy = tf.tensor(inputs.dy, inputs.outShape);
      const grads = tf.grads((a, b) =>
        tf.sum(tf.mul(involution2d(a as tf.Tensor4D, b as tf.Tensor5D, c.options), dy)),
      )([x, kernel]);
      return [involution2d(x, kernel, c.options), ...grads];
    }),
  );
  return { out: out!, dx: dx!, dkernel: dkernel! };
}

/**
 * max |a - e| / (1 + |e|) ≤ tol, reporting the worst element; where e is NaN or ±Inf, a must be the same
 * (any NaN for a NaN).
 */
function expectClose(
  what: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const err = Number.isFinite(e)
      ? Math.abs(a - e) / (1 + Math.abs(e))
      : a === e || (Number.isNaN(a) && Number.isNaN(e))
        ? 0
        : Number.POSITIVE_INFINITY;
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: element ${at} is ${actual[at]}, expected ${expected[at]}`).toBeLessThanOrEqual(tol);
}

/** The loss sum(out · w) in float64 from the op's float32 output. */
async function loss(c: Case, inputs: Inputs, x: Float32Array, kernel: Float32Array): Promise<number> {
  const [out] = await read([tf.tidy(() => involution2d(...tensors(c, inputs, x, kernel), c.options))]);
  let sum = 0;
  for (let i = 0; i < out!.length; i++) sum += out![i]! * inputs.dy[i]!;
  return sum;
}

/**
 * Central differences of the loss at `count` random coordinates of one input. The op is linear in each input,
 * so the difference is exact for any step: a step of 1 keeps float32 rounding of the few outputs that change
 * far below the tolerance, and the step actually taken (after float32 rounding) is the denominator.
 */
async function expectFiniteDifferences(
  c: Case,
  inputs: Inputs,
  which: 'x' | 'kernel',
  analytic: Float32Array,
  count: number,
): Promise<void> {
  const base = inputs[which];
  for (let n = 0; n < count; n++) {
    const i = random.int(base.length);
    const plus = base.slice();
    const minus = base.slice();
    plus[i] = base[i]! + 1;
    minus[i] = base[i]! - 1;
    const at = (v: Float32Array): Promise<number> =>
      which === 'x' ? loss(c, inputs, v, inputs.kernel) : loss(c, inputs, inputs.x, v);
    const numeric = ((await at(plus)) - (await at(minus))) / (plus[i]! - minus[i]!);
    const err = Math.abs(numeric - analytic[i]!) / (1 + Math.abs(analytic[i]!));
    expect(
      err,
      `d loss / d ${which}[${i}]: finite difference ${numeric}, gradient ${analytic[i]}`,
    ).toBeLessThanOrEqual(1e-4);
  }
}

const asReference = (data: Float32Array, shape: readonly number[]) => ({
  data: Float64Array.from(data),
  shape: [...shape],
});

/**
 * Cases with zero padding on every side, whose inputs get NaN and ±Inf: kernel values at out-of-image taps
 * (each makes its group's output NaN, as k·0 does) and at one in-image tap, dy at border pixels (NaN kernel
 * gradients at their out-of-image taps). Vector lanes sharing one group, and not, on webgpu.
 */
const NON_FINITE_CASES: Case[] = [
  { name: 'K3 same G2 (C/G 4)', xShape: [2, 6, 5, 8], options: { kernelSize: 3, groups: 2 } },
  {
    name: 'K3 s2 d2 pad3 G4 interleaved',
    xShape: [1, 7, 6, 8],
    options: { kernelSize: 3, stride: 2, dilation: 2, padding: 3, groups: 4, groupLayout: 'interleaved' },
  },
  { name: 'K5 G3 (C/G 1)', xShape: [1, 5, 6, 3], options: { kernelSize: 5, groups: 3 } },
  // webgpu's tiled forward with two channel vectors an invocation.
  { name: 'K3 same G1 (C 8)', xShape: [1, 9, 10, 8], options: { kernelSize: 3, groups: 1 } },
];

const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

/** Flat indices of the out-of-image (or, with `inside`, in-image) taps of a kernel [B,Ho,Wo,K*K,G]. */
function tapIndices(c: Case, kernelShape: readonly number[], inside: boolean): number[] {
  const { kernelSize: K, stride = 1, dilation = 1, padding, groups: G } = c.options;
  const pad = resolvePad('test', padding, K, dilation);
  const [B, Ho, Wo] = kernelShape as [number, number, number];
  const within = (o: number, u: number, n: number): boolean => {
    const y = o * stride + u * dilation - pad;
    return y >= 0 && y < n;
  };
  const found: number[] = [];
  for (let b = 0; b < B; b++)
    for (let i = 0; i < Ho; i++)
      for (let j = 0; j < Wo; j++)
        for (let t = 0; t < K * K; t++) {
          const tapInside = within(i, Math.floor(t / K), c.xShape[1]) && within(j, t % K, c.xShape[2]);
          if (tapInside !== inside) continue;
          for (let g = 0; g < G; g++) found.push((((b * Ho + i) * Wo + j) * K * K + t) * G + g);
        }
  return found;
}

function nonFiniteInputs(c: Case): Inputs {
  const inputs = makeInputs(c);
  const pick = <T>(list: readonly T[]): T => list[random.int(list.length)]!;
  const padding = tapIndices(c, inputs.kernelShape, false);
  for (const special of SPECIAL) inputs.kernel[pick(padding)] = special;
  inputs.kernel[pick(tapIndices(c, inputs.kernelShape, true))] = Number.NaN;
  // dy at two pixels of the first output row (a border row: every case pads the top).
  const [, , Wo, C] = inputs.outShape;
  for (const special of SPECIAL.slice(0, 2)) inputs.dy[random.int(Wo) * C + random.int(C)] = special;
  return inputs;
}

const backends = await availableTestBackends();
const inputsOf = new Map(CASES.map((c) => [c, makeInputs(c)]));

describe.each(backends)('involution2d on %s', (backend) => {
  beforeAll(() => useBackend(backend));
  const fused = FUSED[backend]?.filter((k) => KERNEL_NAMES.includes(k.kernelName)) ?? [];

  it('registers its fused kernels, which run alone (composite only where a backend has none)', async () => {
    for (const name of KERNEL_NAMES) {
      const registered = tf.getKernel(name, backend);
      const own = fused.find((k) => k.kernelName === name);
      if (own !== undefined) expect(registered?.kernelFunc, name).toBe(own.kernelFunc);
    }
    if (fused.length === 0) return;
    const c = CASES[1]!;
    const [x, kernel] = tensors(c, inputsOf.get(c)!);
    const profile = await tf.profile(() => involution2d(x, kernel, c.options));
    expect(profile.kernelNames).toEqual([Involution2D]);
    tf.dispose([x, kernel]);
  });

  it.each(CASES)('$name: forward and both gradients match the float64 reference', async (c) => {
    const inputs = inputsOf.get(c)!;
    const got = await runOp(c, inputs);
    const x = asReference(inputs.x, c.xShape);
    const kernel = asReference(inputs.kernel, inputs.kernelShape);
    const expected = involution2dReference(x, kernel, c.options);
    expect(expected.shape).toEqual(inputs.outShape);
    expectClose('out', got.out, expected.data, TOLERANCE);
    const grads = involution2dGradReference(x, kernel, asReference(inputs.dy, inputs.outShape), c.options);
    expectClose('dx', got.dx, grads.dx.data, TOLERANCE);
    expectClose('dkernel', got.dkernel, grads.dkernel.data, TOLERANCE);
  });

  it.each(CASES)('$name: gradients match central finite differences of the op', async (c) => {
    const inputs = inputsOf.get(c)!;
    const { dx, dkernel } = await runOp(c, inputs);
    await expectFiniteDifferences(c, inputs, 'x', dx, 4);
    await expectFiniteDifferences(c, inputs, 'kernel', dkernel, 4);
  });

  it.runIf(fused.length > 0).each(CASES)('$name: fused kernels equal the composite ones', async (c) => {
    const inputs = inputsOf.get(c)!;
    const got = await runOp(c, inputs);
    const g = involutionGeometry(c.xShape, resolveInvolutionAttrs(c.xShape, inputs.kernelShape, c.options));
    // On the same backend: the composite is that backend's fallback, so it must be right there too.
    const composite = await read(
      tf.tidy(() => {
        const [x, kernel] = tensors(c, inputs);
        const dy = tf.tensor4d(inputs.dy, inputs.outShape);
        return [
          involutionForwardComposite(x, kernel, g),
          involutionBackpropInputComposite(dy, kernel, g),
          involutionBackpropKernelComposite(x, dy, g),
        ];
      }),
    );
    expectClose('out', got.out, composite[0]!, 2e-5);
    expectClose('dx', got.dx, composite[1]!, 2e-5);
    expectClose('dkernel', got.dkernel, composite[2]!, 2e-5);
  });
});

describe.each(backends)(
  'involution2d on %s: NaN and ±Inf meet the zero padding as in the formula',
  (backend) => {
    beforeAll(() => useBackend(backend));
    const nonFinite = new Map(NON_FINITE_CASES.map((c) => [c, nonFiniteInputs(c)]));

    it.each(NON_FINITE_CASES)('$name: the op and the composite equal the float64 reference', async (c) => {
      const inputs = nonFinite.get(c)!;
      const got = await runOp(c, inputs);
      const x = asReference(inputs.x, c.xShape);
      const kernel = asReference(inputs.kernel, inputs.kernelShape);
      const expected = involution2dReference(x, kernel, c.options);
      const grads = involution2dGradReference(x, kernel, asReference(inputs.dy, inputs.outShape), c.options);
      // The padding's NaNs are really there: the test would pass vacuously otherwise.
      expect(expected.data.some(Number.isNaN), 'reference out has NaNs').toBe(true);
      expect(grads.dkernel.data.some(Number.isNaN), 'reference dkernel has NaNs').toBe(true);
      expectClose('out', got.out, expected.data, TOLERANCE);
      expectClose('dx', got.dx, grads.dx.data, TOLERANCE);
      expectClose('dkernel', got.dkernel, grads.dkernel.data, TOLERANCE);
      const g = involutionGeometry(c.xShape, resolveInvolutionAttrs(c.xShape, inputs.kernelShape, c.options));
      const composite = await read(
        tf.tidy(() => {
          const [xs, ks] = tensors(c, inputs);
          const dy = tf.tensor4d(inputs.dy, inputs.outShape);
          return [
            involutionForwardComposite(xs, ks, g),
            involutionBackpropInputComposite(dy, ks, g),
            involutionBackpropKernelComposite(xs, dy, g),
          ];
        }),
      );
      expectClose('composite out', composite[0]!, expected.data, TOLERANCE);
      expectClose('composite dx', composite[1]!, grads.dx.data, TOLERANCE);
      expectClose('composite dkernel', composite[2]!, grads.dkernel.data, TOLERANCE);
    });
  },
);

describe('involution2d: backends agree', () => {
  it.runIf(backends.length > 1).each(CASES)('$name', async (c) => {
    const inputs = inputsOf.get(c)!;
    await useBackend(backends[0]!);
    const first = await runOp(c, inputs);
    for (const backend of backends.slice(1)) {
      await useBackend(backend);
      const got = await runOp(c, inputs);
      const tol = 2 * TOLERANCE;
      expectClose(`${backend} vs ${backends[0]} out`, got.out, first.out, tol);
      expectClose(`${backend} vs ${backends[0]} dx`, got.dx, first.dx, tol);
      expectClose(`${backend} vs ${backends[0]} dkernel`, got.dkernel, first.dkernel, tol);
    }
  });
});
