/**
 * Every model of the registry (seed-inv with every built-in generator) trains on webgpu as on cpu: two SGD
 * steps from the same weights on the same batch give the same first loss and weight updates (bounds below),
 * and nothing inside a step reads a tensor back to the CPU (the loss and the correct count at its end are the
 * only reads, in one transfer). On SwiftShader here and on CI; skipped where webgpu cannot start.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend, listKernelGenerators } from '@inv/core';
import { useTestSeed } from '@inv/core/testing';
import { createModel, listModels, trainableVariables, trainStep } from '../src/index.js';

const random = useTestSeed('webgpu_steps.test.ts', beforeEach);

/**
 * What is compared, and why not weight by weight. Measured 2026-12-01 (SwiftShader, 6 runs × 15 models, fresh
 * seeds): webgpu's two steps move the weights as cpu's to 1e-7–4e-6 of the update (L2 over all weights) in most
 * runs, but a step is not smooth: a ReLU input within rounding of 0 (a batch-normed value at its channel's
 * mean) takes the other branch on one backend, and the gradient of every layer below it moves (one run in a
 * few, in some model: resinv-linear's s3b1_bn1 beta by 1.75% of its largest value, every layer under it by
 * 0.2–0.6%; the update of all weights by 2e-4 to 1.6e-2 of cpu's). And RedNet at batch 2 is chaotic after its
 * first step: its cpu run alone, with every weight nudged by 1e-6, moves its two-step update by 4–70% and
 * some tensors' by several times their size (a sampled nudge does not bound webgpu's roundings there: they
 * moved some weights 10–100× what the nudge did). Each kernel is checked to its rounding by the kernel tests
 * on every backend; here the whole model is, at bounds that a branch flip passes and a wrong kernel, a lost
 * gradient or a step on stale weights does not:
 * - the first loss (a forward pass: continuous, no branch matters) to FORWARD_TOLERANCE, or
 *   SENSITIVITY_FACTOR times what the nudge moved it (rednet-50's moved 5e-5 to 2e-4, the nudge's 5e-4 to 1e-3);
 * - each weight tensor's first update (the gradient) to TENSOR_TOLERANCE (L2, relative to its own), where the
 *   nudge moved it by under STABLE: not a tensor whose update is rounding (a bias before a batch norm: its
 *   exact gradient is 0) or 0; farthest measured 3.4e-3, 4e-4 at RedNet's 76–195 stable tensors;
 * - the two steps' update of all weights together (L2, relative to cpu's) to STEP_TOLERANCE, where the nudge
 *   moved it by under a SENSITIVITY_FACTOR-th of that (RedNet's by 4e-2 to 1.4, rednet-38's once by 0.09
 *   while webgpu's 0.12: chaos, not compared and printed so).
 * Halving webgpu's kernel gradient of the involution fails 9 of the 15 models (measured 2026-12-01).
 */
const FORWARD_TOLERANCE = 1e-3;
const TENSOR_TOLERANCE = 0.2;
const STABLE = 1e-3;
const STEP_TOLERANCE = 0.1;
/** The nudge: every starting weight moved by a relative 1e-6 (a few float32 roundings). */
const PERTURBATION = 1e-6;
const SENSITIVITY_FACTOR = 10;

const webgpuStarts = await initBackend('webgpu').then(
  () => true,
  () => false,
);

const cases = [
  ...listModels().map((m) => ({ label: m.name, model: m.name, generator: undefined as string | undefined })),
  ...listKernelGenerators().map((generator) => ({
    label: `seed-inv, ${generator}`,
    model: 'seed-inv',
    generator,
  })),
];

/** A case's model, from seed 1. */
const caseModel = (c: (typeof cases)[number]) =>
  createModel(c.model, { seed: 1, ...(c.generator === undefined ? {} : { generator: c.generator }) });

interface StepsResult {
  losses: number[];
  /** The weights after each step. */
  weights: [Float32Array[], Float32Array[]];
  /** The reads back to the CPU inside each step. */
  reads: number[];
}

/** Two SGD steps of `model` from `weights` on `backend`: the losses, the weights and the reads of each step. */
async function twoSteps(
  backend: string,
  c: (typeof cases)[number],
  weights: Float32Array[],
  xs: Float32Array,
): Promise<StepsResult> {
  await tf.setBackend(backend);
  const model = caseModel(c);
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(weights[i]!, w.shape)));
  // SGD: Adam would turn the noise of a gradient that is 0 in exact arithmetic (a bias before a batch norm)
  // into a full step of either sign, on each backend its own.
  const optimizer = tf.train.sgd(0.1);
  const x = tf.tensor4d(xs, [2, 32, 32, 3]);
  const y = tf.tensor1d([3, 7], 'int32');
  // Every read back to the CPU goes through the backend's read or readSync.
  const engine = tf.backend() as unknown as Record<'read' | 'readSync', (...args: unknown[]) => unknown>;
  const [read, readSync] = [engine.read, engine.readSync];
  let reads = 0;
  engine.read = (...args) => (reads++, read.apply(engine, args));
  engine.readSync = (...args) => (reads++, readSync.apply(engine, args));
  const losses: number[] = [];
  const weightValues: Float32Array[][] = [];
  const stepReads: number[] = [];
  try {
    for (let step = 0; step < 2; step++) {
      const readsBefore = reads;
      const totals = await trainStep(model, optimizer, trainableVariables(model), x, y);
      stepReads.push(reads - readsBefore);
      losses.push(totals.lossSum / totals.count);
      // data(), not dataSync(): webgpu in Node cannot read synchronously (no OffscreenCanvas).
      weightValues.push(await Promise.all(model.getWeights().map((w) => w.data() as Promise<Float32Array>)));
    }
  } finally {
    engine.read = read;
    engine.readSync = readSync;
  }
  const result = { losses, weights: weightValues as StepsResult['weights'], reads: stepReads };
  model.dispose();
  optimizer.dispose();
  tf.dispose([x, y]);
  return result;
}

/** Each weight tensor's change from the starting weights. */
type Updates = Float32Array[];
/** ‖actual − expected‖ / ‖expected‖ over all tensors together. */
function updateError(actual: Updates, expected: Updates): number {
  let difference = 0;
  let reference = 0;
  expected.forEach((e, i) => {
    for (let j = 0; j < e.length; j++) difference += (actual[i]![j]! - e[j]!) ** 2;
    for (let j = 0; j < e.length; j++) reference += e[j]! ** 2;
  });
  return Math.sqrt(difference / reference);
}

describe.runIf(webgpuStarts)('two training steps on webgpu match cpu', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  const check = async (c: (typeof cases)[number]) => {
    await tf.setBackend('cpu');
    const init = caseModel(c);
    const weights = init.getWeights().map((w) => w.dataSync() as Float32Array); // on cpu
    init.dispose();
    const xs = random.uniformArray(2 * 32 * 32 * 3, 0, 1);
    const cpu = await twoSteps('cpu', c, weights, xs);
    const nudged = weights.map((w) => w.map((v) => v * (1 + PERTURBATION * (2 * random.uniform() - 1))));
    const cpuNudged = await twoSteps('cpu', c, nudged, xs);
    const gpu = await twoSteps('webgpu', c, weights, xs);
    const updates = (r: StepsResult, step: 0 | 1) =>
      r.weights[step].map((w, i) => w.map((v, j) => v - weights[i]![j]!));
    const [cpuUpdate, nudgedUpdate, gpuUpdate] = [cpu, cpuNudged, gpu].map((r) => updates(r, 1)) as [
      Updates,
      Updates,
      Updates,
    ];
    const [cpuStep, nudgedStep, gpuStep] = [cpu, cpuNudged, gpu].map((r) => updates(r, 0)) as [
      Updates,
      Updates,
      Updates,
    ];
    const firstLossError = (r: StepsResult) =>
      Math.abs(r.losses[0]! - cpu.losses[0]!) / Math.abs(cpu.losses[0]!);
    expect(firstLossError(gpu), 'first loss').toBeLessThan(
      Math.max(FORWARD_TOLERANCE, SENSITIVITY_FACTOR * firstLossError(cpuNudged)),
    );
    const [twoStepError, nudgedTwoStepError] = [
      updateError(gpuUpdate, cpuUpdate),
      updateError(nudgedUpdate, cpuUpdate),
    ];
    const chaotic = nudgedTwoStepError >= STEP_TOLERANCE / SENSITIVITY_FACTOR;
    if (!chaotic) expect(twoStepError, 'two steps of all weights').toBeLessThan(STEP_TOLERANCE);
    const tensorError = (update: Updates, i: number) => updateError([update[i]!], [cpuStep[i]!]);
    const compared = cpuStep.flatMap((_, i) => (tensorError(nudgedStep, i) < STABLE ? [i] : []));
    const errors = compared.map((i) => ({ i, error: tensorError(gpuStep, i) }));
    console.log(
      `${c.label}: two steps ${twoStepError.toExponential(1)} from cpu's (the nudge's ` +
        `${nudgedTwoStepError.toExponential(1)}${chaotic ? ': chaotic, not compared' : ''}); ${compared.length} of ` +
        `${cpuStep.length} weight tensors' first steps compared, the farthest ` +
        `${Math.max(0, ...errors.map((e) => e.error)).toExponential(1)}`,
    );
    expect(
      errors.flatMap(({ i, error }) => (error < TENSOR_TOLERANCE ? [] : [`${i}: ${error.toPrecision(2)}`])),
      'weight tensors whose update is off',
    ).toEqual([]);
    // The loss and the correct count, read together (readSteps) at the end of a step: nothing else comes back.
    expect(gpu.reads).toEqual([1, 1]);
  };
  it.each(cases)('$label', check);
});
