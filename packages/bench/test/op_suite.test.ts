import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '@inv/core';
import { describe, expect, it } from 'vitest';
import { FLOAT16_KERNELS_FLAG } from '@inv/core';
import {
  OP_IMPLS,
  OP_MODES,
  OP_SHAPES,
  opSuite,
  prepareOpCase,
  type BenchMode,
  type InvolutionShape,
} from '../src/index.js';
import { smokeRun } from './helpers/smoke_run.js';

// The suite's layer shapes at batch 2: the same geometry and options, cheap enough for the composite on cpu.
const shapes: InvolutionShape[] = OP_SHAPES.map((s) => ({ ...s, batch: 2 }));

async function outputs(
  impl: 'fused' | 'fused-float16' | 'composite',
  mode: BenchMode,
  shape: InvolutionShape,
  backend: string,
): Promise<Float32Array[]> {
  const prepared = prepareOpCase(impl, mode, shape, backend);
  try {
    const result = await prepared.run();
    const data = await Promise.all(result.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose(result);
    return data;
  } finally {
    prepared.dispose();
  }
}

function maxAbs(a: Float32Array): number {
  return a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

describe('op suite cases', () => {
  it('cover every shape × impl × mode', () => {
    const cases = opSuite.cases({ quick: false });
    expect(cases).toHaveLength(OP_SHAPES.length * OP_IMPLS.length * OP_MODES.length);
    expect(new Set(cases.map((c) => `${c.case}/${c.impl}/${c.mode}`)).size).toBe(cases.length);
    for (const c of cases) expect(c.backends).toEqual(c.impl === 'fused-float16' ? ['webgpu'] : undefined);
    expect(opSuite.cases({ quick: true }).map((c) => c.shape)).toContain('B32 32×32 C3 K3 G1');
  });

  for (const backend of ['cpu', 'wasm', 'webgpu'] as BackendName[]) {
    describe(backend, async () => {
      const started = await initBackend(backend).then(
        () => true,
        (error: unknown) => {
          console.warn(
            `[bench tests] skipping backend ${backend}: ${error instanceof Error ? error.message : String(error)}`,
          );
          return false;
        },
      );
      for (const shape of shapes) {
        for (const mode of OP_MODES) {
          it.skipIf(!started)(
            `${shape.name} ${mode}: fused and composite compute the same outputs`,
            async () => {
              await tf.setBackend(backend);
              const fused = await outputs('fused', mode, shape, backend);
              const composite = await outputs('composite', mode, shape, backend);
              expect(fused.map((t) => t.length)).toEqual(composite.map((t) => t.length));
              fused.forEach((f, i) => {
                const c = composite[i]!;
                const scale = Math.max(1, maxAbs(c));
                let worst = 0;
                for (let j = 0; j < f.length; j++) worst = Math.max(worst, Math.abs(f[j]! - c[j]!));
                expect(worst / scale).toBeLessThan(1e-5);
              });
            },
          );
          if (backend !== 'webgpu') continue;
          it.skipIf(!started)(
            `${shape.name} ${mode}: float16 kernels compute the fused outputs within float16's rounding`,
            async () => {
              await tf.setBackend(backend);
              const fused = await outputs('fused', mode, shape, backend);
              const float16 = await outputs('fused-float16', mode, shape, backend);
              expect(tf.env().getBool(FLOAT16_KERNELS_FLAG)).toBe(false);
              fused.forEach((f, i) => {
                const h = float16[i]!;
                const scale = Math.max(1, maxAbs(f));
                let worst = 0;
                for (let j = 0; j < f.length; j++) worst = Math.max(worst, Math.abs(f[j]! - h[j]!));
                if (mode === 'forward+backward' && i === 1) {
                  // d/dkernel reads x and dy only: the float32 gradient, bit for bit.
                  expect(worst).toBe(0);
                } else {
                  // Kernel values move by at most 2^-11 of themselves; sums of K²·C/G terms within 1e-2.
                  expect(worst / scale).toBeGreaterThan(0);
                  expect(worst / scale).toBeLessThan(1e-2);
                }
              });
            },
          );
        }
      }
    });
  }

  it('runs a case restricted to some backends only there', async () => {
    const report = await smokeRun(opSuite, ['cpu'], { filter: 'seed/fused' });
    expect(report.results.map((r) => `${r.impl} ${r.mode} ${r.backend}`)).toEqual([
      'fused forward cpu',
      'fused forward+backward cpu',
    ]);
  });
});
