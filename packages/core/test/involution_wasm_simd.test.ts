/**
 * The WebAssembly SIMD involution kernels (kernels/wasm_simd), in place on the wasm backend's heap and on
 * copies in their own memory (the cpu backend's way), and the typed-array JS kernels they fall back to: each
 * against the float64 reference over the shapes their code paths split on, writing nothing past their output,
 * being what the op runs on wasm and cpu, and handing the geometries the module does not cover to the JS
 * kernels. Also that the checked-in module is what involution.wat assembles to. Inputs are fresh random
 * numbers on every run.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { involution2d, involutionGeometry, outputExtent, type InvolutionGeometry } from '../src/index.js';
import {
  typedInvolution2D,
  typedInvolution2DBackpropInput,
  typedInvolution2DBackpropKernel,
  type TypedInvolutionKernel,
} from '../src/kernels/typed_array/typed_kernels.js';
import { involutionWasmBytes } from '../src/kernels/wasm_simd/involution_wasm.js';
import { runInvolutionSimdInPlace } from '../src/kernels/wasm_simd/simd_in_place.js';
import { runInvolutionSimdOnCopies } from '../src/kernels/wasm_simd/simd_on_copies.js';
import {
  fourPixelColumns,
  simdFallbackReason,
  simdInvolution2D,
  simdInvolution2DBackpropInput,
  simdInvolution2DBackpropKernel,
  type SimdInvolutionKernel,
} from '../src/kernels/wasm_simd/simd_kernels.js';
import { resolveInvolutionAttrs, resolvePad, type Involution2DOptions } from '../src/op/options.js';
import {
  involution2dGradReference,
  involution2dReference,
  type ReferenceArray,
} from '../src/testing/index.js';
import { awaitModuleWorkers, engineThreads, setEngineThreads } from '@inv/kernels';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { useTestSeed } from '../src/testing/index.js';

const random = useTestSeed('involution_wasm_simd.test.ts', beforeEach);

interface Case {
  name: string;
  xShape: [number, number, number, number];
  options: Involution2DOptions & { groups: number };
}

// C/G 1, 2, 3, 5, 6, 7 (partial vectors), 16 and 19 (the 16-channel blocks, alone and with a partial
// vector after them); K 1/2/3/5/7, stride 1/2/3, dilation 1/2, odd sizes, batch 1 to 3, 'same', 'valid' and
// explicit padding, contiguous groups and the interleaved layouts the module covers (G = 1 or C/G = 1).
const CASES: Case[] = [
  { name: 'seed C3 K3 G1', xShape: [2, 9, 7, 3], options: { kernelSize: 3, groups: 1 } },
  // Four pixels at a time (C 3, G 1, stride 1): several blocks and a remainder, dilated, and strided (none).
  { name: 'C3 K5 G1 wide', xShape: [1, 6, 19, 3], options: { kernelSize: 5, groups: 1 } },
  { name: 'C3 K3 G1 d2', xShape: [2, 7, 13, 3], options: { kernelSize: 3, dilation: 2, groups: 1 } },
  { name: 'C3 K3 G1 s2', xShape: [1, 9, 12, 3], options: { kernelSize: 3, stride: 2, groups: 1 } },
  {
    name: 'seed C3 K3 G1 interleaved',
    xShape: [1, 7, 9, 3],
    options: { kernelSize: 3, groups: 1, groupLayout: 'interleaved' },
  },
  {
    name: 'C/G 1 G5 K3 s2 valid',
    xShape: [1, 9, 11, 5],
    options: { kernelSize: 3, stride: 2, padding: 'valid', groups: 5 },
  },
  { name: 'C/G 2 G3 K5 d2', xShape: [3, 7, 9, 6], options: { kernelSize: 5, dilation: 2, groups: 3 } },
  { name: 'C/G 5 G2 K7 s3', xShape: [2, 13, 11, 10], options: { kernelSize: 7, stride: 3, groups: 2 } },
  {
    name: 'C/G 6 G1 K1 valid',
    xShape: [1, 5, 7, 6],
    options: { kernelSize: 1, padding: 'valid', groups: 1 },
  },
  {
    name: 'C/G 7 G2 K3 s2 d2',
    xShape: [2, 11, 9, 14],
    options: { kernelSize: 3, stride: 2, dilation: 2, groups: 2 },
  },
  { name: 'C/G 16 G2 K7', xShape: [1, 9, 9, 32], options: { kernelSize: 7, groups: 2 } },
  {
    name: 'C/G 19 G1 K3 s3 valid',
    xShape: [2, 10, 7, 19],
    options: { kernelSize: 3, stride: 3, padding: 'valid', groups: 1 },
  },
  {
    name: 'C/G 1 G4 interleaved',
    xShape: [2, 7, 7, 4],
    options: { kernelSize: 3, groups: 4, groupLayout: 'interleaved' },
  },
  { name: 'K2 pad 1', xShape: [2, 6, 5, 3], options: { kernelSize: 2, padding: 1, groups: 1 } },
  {
    name: 'pad 3 > K: border pixels read nothing',
    xShape: [1, 4, 5, 2],
    options: { kernelSize: 3, padding: 3, groups: 2 },
  },
];

/** An interleaved layout with several channels per group: a group's channels are G apart. */
const INTERLEAVED: Case = {
  name: 'C/G 4 G2 interleaved',
  xShape: [2, 7, 9, 8],
  options: { kernelSize: 3, stride: 2, groups: 2, groupLayout: 'interleaved' },
};

/** float32 sums of up to 49 terms of unit-normal products. */
const TOLERANCE = 2e-5;
/** Floats after the output, standing for the next tensor on the heap. */
const GUARD = 16;
const SENTINEL = 12345.5;

/** Random inputs, already rounded to float32 so the float64 reference sees the values the kernels read. */
function randomArray(shape: number[]): ReferenceArray {
  const size = shape.reduce((a, b) => a * b, 1);
  return { data: Float64Array.from(random.normal(size)), shape };
}

interface Problem {
  g: InvolutionGeometry;
  x: ReferenceArray;
  kernel: ReferenceArray;
  dy: ReferenceArray;
}

function problem(c: Case): Problem {
  const { kernelSize: K, stride = 1, dilation = 1, padding, groups: G } = c.options;
  const pad = resolvePad('test', padding, K, dilation);
  const [B, H, W, C] = c.xShape;
  const [Ho, Wo] = [H, W].map((n) => outputExtent(n, K, stride, dilation, pad));
  const kernelShape = [B, Ho!, Wo!, K * K, G];
  const g = involutionGeometry(c.xShape, resolveInvolutionAttrs(c.xShape, kernelShape, c.options));
  return {
    g,
    x: randomArray(c.xShape),
    kernel: randomArray(kernelShape),
    dy: randomArray([B, g.outHeight, g.outWidth, C]),
  };
}

interface KernelRun {
  what: string;
  simd: SimdInvolutionKernel;
  typed: TypedInvolutionKernel;
  inputs: [ReferenceArray, ReferenceArray];
  expected: ReferenceArray;
}

/** Each kernel (SIMD and JS) with its inputs and float64 expected output. */
function kernelRuns(c: Case, p: Problem): KernelRun[] {
  const grads = involution2dGradReference(p.x, p.kernel, p.dy, c.options);
  return [
    {
      what: 'forward',
      simd: simdInvolution2D,
      typed: typedInvolution2D,
      inputs: [p.x, p.kernel],
      expected: involution2dReference(p.x, p.kernel, c.options),
    },
    {
      what: 'input gradient',
      simd: simdInvolution2DBackpropInput,
      typed: typedInvolution2DBackpropInput,
      inputs: [p.dy, p.kernel],
      expected: grads.dx,
    },
    {
      what: 'kernel gradient',
      simd: simdInvolution2DBackpropKernel,
      typed: typedInvolution2DBackpropKernel,
      inputs: [p.x, p.dy],
      expected: grads.dkernel,
    },
  ];
}

const float32 = (r: ReferenceArray): Float32Array => Float32Array.from(r.data);

/** `run`'s SIMD kernel on copies (returning whether it ran) and its JS kernel, each into a fresh output. */
function runOnArrays(
  run: KernelRun,
  g: InvolutionGeometry,
): { ran: boolean; simd: Float32Array; js: Float32Array } {
  const [a, b] = run.inputs.map(float32) as [Float32Array, Float32Array];
  const simd = new Float32Array(run.expected.data.length);
  const js = new Float32Array(run.expected.data.length);
  const ran = runInvolutionSimdOnCopies(run.simd, g, a, b, simd);
  run.typed.compute(a, b, g, js);
  return { ran, simd, js };
}

/** The op's forward output on the active backend. */
function opForward(c: Case, p: Problem): Float32Array {
  return tf.tidy(
    () =>
      involution2d(
        tf.tensor4d(float32(p.x), c.xShape),
        tf.tensor5d(float32(p.kernel), p.kernel.shape as [number, number, number, number, number]),
        c.options,
      ).dataSync() as Float32Array,
  );
}

/**
 * Runs `simd` with its output at the start of a heap tensor GUARD floats longer, filled with SENTINEL: the
 * floats after the output stand for the tensor next to it. Returns whether it ran, the output and the guard.
 */
function runIntoGuardedBlock(
  simd: SimdInvolutionKernel,
  g: InvolutionGeometry,
  inputs: [ReferenceArray, ReferenceArray],
  outFloats: number,
): { ran: boolean; out: Float32Array; guard: Float32Array } {
  const [a, b] = inputs.map((r) => tf.tensor(Float32Array.from(r.data), r.shape));
  const block = tf.fill([outFloats + GUARD], SENTINEL);
  const ran = runInvolutionSimdInPlace(simd, tf.backend() as BackendWasm, g, [a!, b!], block, outFloats);
  const values = block.dataSync() as Float32Array;
  tf.dispose([a!, b!, block]);
  return { ran, out: values.slice(0, outFloats), guard: values.slice(outFloats) };
}

/** max |a - e| / (1 + |e|) ≤ TOLERANCE, reporting the worst element. */
function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i]! - expected[i]!) / (1 + Math.abs(expected[i]!));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: element ${at} is ${actual[at]}, expected ${expected[at]}`).toBeLessThanOrEqual(
    TOLERANCE,
  );
}

describe('involution kernels on plain arrays (the SIMD module on copies, the JS kernels)', () => {
  it.each(CASES)('$name: the SIMD module on copies and the JS kernels match the float64 reference', (c) => {
    const p = problem(c);
    expect(simdFallbackReason(p.g)).toBeUndefined();
    for (const run of kernelRuns(c, p)) {
      const { ran, simd, js } = runOnArrays(run, p.g);
      expect(ran, `${run.what} ran on the SIMD module`).toBe(true);
      expectClose(`${run.what} (SIMD)`, simd, run.expected.data);
      expectClose(`${run.what} (JS)`, js, run.expected.data);
    }
  });

  it('take four pixels of 3 channels at a time where their taps allow, bit for bit the one-pixel sums', () => {
    for (const c of CASES.filter((k) => k.xShape[3] === 3 && k.options.groups === 1)) {
      const p = problem(c);
      const [from, to] = fourPixelColumns(p.g, simdInvolution2D.plan(p.g));
      expect(to - from >= 4, `${c.name}: blocks`).toBe((c.options.stride ?? 1) === 1);
      for (const run of kernelRuns(c, p)) {
        // The block arguments come last: [from, to, weight stride] of the gather, [from, to] of the gradient.
        const blockArgs = run.simd.name === 'gather' ? 3 : 2;
        const onePixel: SimdInvolutionKernel = {
          ...run.simd,
          args: (at, g, plan) => [
            ...run.simd.args(at, g, plan).slice(0, -blockArgs),
            ...new Array<number>(blockArgs).fill(0),
          ],
        };
        const blocks = runOnArrays(run, p.g).simd;
        const pixels = runOnArrays({ ...run, simd: onePixel }, p.g).simd;
        expect(new Uint32Array(blocks.buffer), `${c.name} ${run.what}`).toEqual(
          new Uint32Array(pixels.buffer),
        );
      }
    }
  });

  it('hand interleaved groups of several channels to the JS kernels', () => {
    const p = problem(INTERLEAVED);
    expect(simdFallbackReason(p.g)).toMatch(/interleaved/);
    for (const run of kernelRuns(INTERLEAVED, p)) {
      const { ran, simd, js } = runOnArrays(run, p.g);
      expect(ran, `${run.what} declined`).toBe(false);
      expect(
        simd.every((v) => v === 0),
        `${run.what}: declined without writing`,
      ).toBe(true);
      expectClose(`${run.what} (JS)`, js, run.expected.data);
    }
  });
});

const backends = await availableTestBackends();

describe.runIf(backends.includes('cpu'))('involution SIMD kernels on cpu', () => {
  beforeAll(() => useBackend('cpu'));

  it('are what the op runs: the op equals the SIMD kernel on copies bit for bit, and not the JS kernel', () => {
    const c = CASES[0]!;
    const p = problem(c);
    const { ran, simd, js } = runOnArrays(kernelRuns(c, p)[0]!, p.g);
    expect(ran).toBe(true);
    expect(opForward(c, p)).toEqual(simd);
    // float64 (JS) and float32 (SIMD) accumulation round differently somewhere among these outputs.
    expect(js).not.toEqual(simd);
  });
});

describe.runIf(backends.includes('wasm'))('involution SIMD kernels on the wasm heap', () => {
  beforeAll(() => useBackend('wasm'));

  it.each(CASES)(
    '$name: each SIMD kernel in place matches the float64 reference and writes nothing past its output',
    (c) => {
      const p = problem(c);
      expect(simdFallbackReason(p.g)).toBeUndefined();
      for (const { what, simd, inputs, expected } of kernelRuns(c, p)) {
        const { ran, out, guard } = runIntoGuardedBlock(simd, p.g, inputs, expected.data.length);
        expect(ran, `${what} ran on the SIMD module`).toBe(true);
        expectClose(what, out, expected.data);
        expect([...guard], `${what}: the floats after the output`).toEqual(new Array(GUARD).fill(SENTINEL));
      }
    },
  );

  it.each(CASES.filter((c) => c.xShape[0] > 1))(
    '$name: in place on 1, 2 and 3 engine threads (one image a task), the bits of the module on copies',
    (c) => {
      const p = problem(c);
      const before = engineThreads();
      try {
        for (const run of kernelRuns(c, p)) {
          const onCopies = runOnArrays(run, p.g).simd;
          for (const threads of [1, 2, 3]) {
            setEngineThreads(threads);
            // The first call makes the module's pool for this count; the second runs once its workers are up.
            runIntoGuardedBlock(run.simd, p.g, run.inputs, run.expected.data.length);
            expect(awaitModuleWorkers(30_000)).toBe(true);
            const { ran, out, guard } = runIntoGuardedBlock(
              run.simd,
              p.g,
              run.inputs,
              run.expected.data.length,
            );
            expect(ran, `${run.what} on ${threads} threads ran on the SIMD module`).toBe(true);
            expect(out, `${run.what} on ${threads} threads`).toEqual(onCopies);
            expect([...guard]).toEqual(new Array(GUARD).fill(SENTINEL));
          }
        }
      } finally {
        setEngineThreads(before);
      }
    },
  );

  it('are what the op runs: the op equals the SIMD kernel in place bit for bit, and not the JS kernel', () => {
    const c = CASES[0]!;
    const p = problem(c);
    const run = kernelRuns(c, p)[0]!;
    const { ran, out } = runIntoGuardedBlock(run.simd, p.g, run.inputs, run.expected.data.length);
    expect(ran).toBe(true);
    expect(opForward(c, p)).toEqual(out);
    expect(runOnArrays(run, p.g).js).not.toEqual(out);
  });

  it('hand interleaved groups of several channels to the JS kernels, which the op then runs', () => {
    const p = problem(INTERLEAVED);
    for (const { what, simd, inputs, expected } of kernelRuns(INTERLEAVED, p)) {
      const { ran, guard } = runIntoGuardedBlock(simd, p.g, inputs, expected.data.length);
      expect(ran, `${what} declined`).toBe(false);
      expect([...guard]).toEqual(new Array(GUARD).fill(SENTINEL));
    }
    const expected = involution2dReference(p.x, p.kernel, INTERLEAVED.options);
    expectClose('forward (JS)', opForward(INTERLEAVED, p), expected.data);
  });
});

describe('involution SIMD module', () => {
  it('is checked in as what involution.wat assembles to', () => {
    const script = fileURLToPath(new URL('../scripts/assemble-wasm.mjs', import.meta.url));
    // Exits 1 with a message naming the stale file and the command that regenerates it.
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('stays under the 4 kB browsers compile synchronously on the main thread', () => {
    expect(WebAssembly.validate(involutionWasmBytes)).toBe(true);
    expect(involutionWasmBytes.length).toBeLessThan(4096);
  });

  it('covers contiguous groups, and interleaved ones only where they are contiguous too', () => {
    const geometry = (C: number, G: number, groupLayout: 'contiguous' | 'interleaved') =>
      involutionGeometry([1, 5, 5, C], {
        kernelSize: 3,
        stride: 1,
        dilation: 1,
        pad: 1,
        groups: G,
        groupLayout,
      });
    expect(simdFallbackReason(geometry(12, 3, 'contiguous'))).toBeUndefined();
    expect(simdFallbackReason(geometry(12, 1, 'interleaved'))).toBeUndefined();
    expect(simdFallbackReason(geometry(12, 12, 'interleaved'))).toBeUndefined();
    expect(simdFallbackReason(geometry(12, 3, 'interleaved'))).toMatch(/interleaved/);
  });
});
