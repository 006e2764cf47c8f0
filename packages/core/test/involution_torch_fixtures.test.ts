/**
 * Fixtures computed independently of inv (tools/peer/involution_fixtures.py: PyTorch's unfold and autograd in
 * float64) for geometries where shared index arithmetic could hide a mistake: odd sizes, stride 2, dilation 2,
 * explicit and 'valid' padding, groups > 1 in both layouts. The float64 reference (which shares the geometry
 * helpers with the kernels) and every backend's kernels, fused and composite, must reproduce them. Their inputs
 * are multiples of 1/64, so every sum is exact in float32 too: the tolerances only absorb summation order.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { involution2d, involution2dComposite, type Involution2DOptions } from '../src/index.js';
import {
  involution2dGradReference,
  involution2dReference,
  type ReferenceArray,
} from '../src/testing/index.js';
import { availableTestBackends, useBackend } from './helpers/backends.js';

interface Fixture {
  name: string;
  options: Involution2DOptions;
  x: ReferenceArray;
  kernel: ReferenceArray;
  dy: ReferenceArray;
  out: ReferenceArray;
  dx: ReferenceArray;
  dkernel: ReferenceArray;
}

const folder = fileURLToPath(new URL('./fixtures/involution_torch/', import.meta.url));
const FIXTURES: Fixture[] = readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => JSON.parse(readFileSync(folder + file, 'utf8')) as Fixture);

/** Same shape, and max |a − e| / (1 + |e|) ≤ tol, naming the worst element. */
function expectMatches(what: string, actual: ReferenceArray, expected: ReferenceArray, tol: number): void {
  expect(actual.shape, `${what}: shape`).toEqual(expected.shape);
  let worst = 0;
  let at = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const err = Math.abs(actual.data[i]! - expected.data[i]!) / (1 + Math.abs(expected.data[i]!));
    if (!(err <= worst)) [worst, at] = [err, i];
  }
  expect(
    worst,
    `${what}: element ${at} is ${actual.data[at]}, PyTorch has ${expected.data[at]}`,
  ).toBeLessThanOrEqual(tol);
}

const asTensor = (a: ReferenceArray): tf.Tensor => tf.tensor(Float32Array.from(a.data), a.shape as number[]);

it('the fixtures are there: six cases, each kept small', () => {
  expect(FIXTURES.map((f) => f.name)).toHaveLength(6);
  for (const file of readdirSync(folder)) expect(readFileSync(folder + file).length).toBeLessThan(50_000);
});

describe.each(FIXTURES)('$name', (f) => {
  it('the float64 reference reproduces PyTorch', () => {
    expectMatches('out', involution2dReference(f.x, f.kernel, f.options), f.out, 1e-12);
    const grads = involution2dGradReference(f.x, f.kernel, f.dy, f.options);
    expectMatches('dx', grads.dx, f.dx, 1e-12);
    expectMatches('dkernel', grads.dkernel, f.dkernel, 1e-12);
  });
});

const backends = await availableTestBackends();

describe.each(backends)('the kernels on %s reproduce PyTorch', (backend) => {
  beforeAll(() => useBackend(backend));

  it.each(FIXTURES)('$name: fused and composite, forward and both gradients', async (f) => {
    for (const [op, run] of [
      ['fused', involution2d],
      ['composite', involution2dComposite],
    ] as const) {
      const results = tf.tidy(() => {
        const [x, kernel, dy] = [f.x, f.kernel, f.dy].map(asTensor) as [tf.Tensor4D, tf.Tensor5D, tf.Tensor];
        const [dx, dkernel] = tf.grads((a, b) =>
          tf.sum(tf.mul(run(a as tf.Tensor4D, b as tf.Tensor5D, f.options), dy)),
        )([x, kernel]);
        return [run(x, kernel, f.options), dx!, dkernel!];
      });
      const [out, dx, dkernel] = await Promise.all(
        results.map(async (t) => ({ data: Float64Array.from(await t.data()), shape: [...t.shape] })),
      );
      tf.dispose(results);
      expectMatches(`${op} out`, out!, f.out, 1e-6);
      expectMatches(`${op} dx`, dx!, f.dx, 1e-6);
      expectMatches(`${op} dkernel`, dkernel!, f.dkernel, 1e-6);
    }
  });
});
