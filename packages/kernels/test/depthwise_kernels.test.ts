/**
 * Depthwise convolution gradients (the engine's for channel multiplier 1, a JS loop above; tfjs-wasm has none)
 * on every backend that starts: against a float64 reference written from the definition, through tf.grads so
 * the registered kernels are the ones run.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { availableTestBackends, useBackend } from './helpers/backends.js';
import { KERNEL_TABLE } from '../src/table.js';
import { useTestSeed } from './helpers/random.js';

const random = useTestSeed('depthwise_kernels.test.ts');

interface Case {
  x: [number, number, number, number];
  k: number;
  multiplier: number;
  stride: number;
  dilation: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { x: [2, 7, 9, 5], k: 3, multiplier: 1, stride: 1, dilation: 1, pad: 'same' },
  { x: [3, 8, 7, 3], k: 3, multiplier: 2, stride: 2, dilation: 1, pad: 'valid' },
  // tfjs differentiates no dilated depthwise convolution, so dilation stays 1.
  { x: [2, 9, 10, 4], k: 5, multiplier: 1, stride: 1, dilation: 1, pad: 'same' },
  { x: [1, 6, 11, 2], k: 1, multiplier: 3, stride: 2, dilation: 1, pad: 'same' },
];

/** Gradients of sum(depthwiseConv2d(x, w) · dy) from the definition, in float64. */
function reference(c: Case, x: Float32Array, w: Float32Array, dy: Float32Array, outShape: number[]) {
  const [B, H, W, C] = c.x;
  const [, Ho, Wo] = outShape as [number, number, number, number];
  const M = c.multiplier;
  const effective = (c.k - 1) * c.dilation + 1;
  const padTotal = (n: number, o: number) => Math.max((o - 1) * c.stride + effective - n, 0);
  const top = c.pad === 'same' ? Math.floor(padTotal(H, Ho) / 2) : 0;
  const left = c.pad === 'same' ? Math.floor(padTotal(W, Wo) / 2) : 0;
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(w.length);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < Ho; i++)
      for (let j = 0; j < Wo; j++)
        for (let u = 0; u < c.k; u++)
          for (let v = 0; v < c.k; v++) {
            const y = i * c.stride + u * c.dilation - top;
            const xx = j * c.stride + v * c.dilation - left;
            if (y < 0 || y >= H || xx < 0 || xx >= W) continue;
            for (let ch = 0; ch < C; ch++)
              for (let m = 0; m < M; m++) {
                const g = dy[((b * Ho + i) * Wo + j) * C * M + ch * M + m]!;
                const xi = ((b * H + y) * W + xx) * C + ch;
                const wi = ((u * c.k + v) * C + ch) * M + m;
                dx[xi]! += g * w[wi]!;
                dw[wi]! += g * x[xi]!;
              }
          }
  return { dx, dw };
}

const backends = await availableTestBackends();

const registered = (kernelName: string, backend: string) =>
  KERNEL_TABLE.find((e) => e.kernelName === kernelName && e.backend === backend)?.config;

describe('depthwise conv gradients', () => {
  for (const backend of backends) {
    it.each(CASES)(
      `${backend}: K $k, multiplier $multiplier, stride $stride, dilation $dilation, $pad`,
      async (c) => {
        const [, , , C] = c.x;
        const x = Float32Array.from({ length: c.x.reduce((a, b) => a * b) }, () => random.uniform());
        const w = Float32Array.from({ length: c.k * c.k * C * c.multiplier }, () => random.uniform());
        await useBackend(backend);
        for (const name of [tf.DepthwiseConv2dNativeBackpropInput, tf.DepthwiseConv2dNativeBackpropFilter]) {
          const entry = registered(name, backend);
          const ours = entry !== undefined && 'kernel' in entry ? entry.kernel.kernelFunc : undefined;
          expect(ours, `${name} on ${backend} is in the kernel table`).toBeDefined();
          expect(tf.getKernel(name, backend)?.kernelFunc).toBe(ours);
        }
        const xt = tf.tensor4d(x, c.x);
        const wt = tf.tensor4d(w, [c.k, c.k, C, c.multiplier]);
        const conv = (a: tf.Tensor, b: tf.Tensor) =>
          tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad, 'NHWC', c.dilation);
        const outShape = conv(xt, wt).shape;
        const dyValues = Float32Array.from({ length: outShape.reduce((a, b) => a * b) }, (_, i) =>
          Math.sin(i),
        );
        const dy = tf.tensor4d(dyValues, outShape as never);
        const [dx, dw] = tf.grads((a, b) => tf.sum(tf.mul(conv(a, b), dy)))([xt, wt]);
        const ref = reference(c, x, w, dyValues, outShape);
        const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) =>
          Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));
        expect(maxDiff(await dx!.data(), ref.dx)).toBeLessThan(1e-4);
        expect(maxDiff(await dw!.data(), ref.dw)).toBeLessThan(1e-4);
        expect(maxDiff(ref.dw, new Float64Array(ref.dw.length))).toBeGreaterThan(0.1);
        tf.dispose([xt, wt, dy, dx!, dw!]);
      },
    );
  }
});
