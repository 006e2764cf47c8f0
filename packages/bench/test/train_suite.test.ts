import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FRONTIER_CASES,
  prepareInference,
  prepareTrainStep,
  TRAIN_IMPL,
  TRAIN_MODELS,
  TRAIN_MODES,
  TRAIN_PEER_IMPL,
  trainSuite,
} from '../src/index.js';
import { smokeRun } from './helpers/smoke_run.js';

describe('train suite', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('has a train-step and an inference case per model at batch 256 (32 quick; RedNet-26 a quarter), the ablation steps at 128, and the two peer targets', () => {
    const cases = trainSuite.cases({ quick: false });
    const frontier = FRONTIER_CASES.map((c) => c.case);
    const names = [...TRAIN_MODELS.flatMap((m) => [m, m]), ...frontier];
    expect(cases.map((c) => [c.case, c.impl, c.mode])).toEqual([
      ...TRAIN_MODELS.flatMap((m) => TRAIN_MODES.map((mode) => [m, TRAIN_IMPL, mode])),
      ...frontier.map((m) => [m, TRAIN_IMPL, 'train-step']),
    ]);
    const batches = (quick: boolean) =>
      trainSuite.cases({ quick }).map((c) => [c.case, /^B(\d+) /.exec(c.shape)![1]]);
    const batchOf = (m: string, quick: boolean) =>
      String((m === 'rednet-26' ? 64 : m.startsWith('resinv') ? 128 : 256) / (quick ? 8 : 1));
    expect(batches(false)).toEqual(names.map((m) => [m, batchOf(m, false)]));
    expect(batches(true)).toEqual(names.map((m) => [m, batchOf(m, true)]));
    expect(trainSuite.defaultBackends).toEqual(['cpu', 'wasm']);
    expect(trainSuite.comparisons.map((c) => [c.cases, c.modes, c.baseline, c.minSpeedup])).toEqual([
      [['seed-inv'], ['train-step'], TRAIN_PEER_IMPL, 2.5],
      [['seed-conv'], ['train-step'], TRAIN_PEER_IMPL, 1],
      [undefined, ['inference'], TRAIN_PEER_IMPL, undefined],
    ]);
    // A seed-conv miss on cpu states its known cause.
    expect(Object.keys(trainSuite.comparisons[1]!.missedBecause ?? {})).toEqual(['cpu']);
  });

  for (const [model, generator] of [['seed-conv'], ['seed-inv'], ['resinv', 'softmax']] as const) {
    it(`${model}${generator === undefined ? '' : ` (${generator})`}: repeated steps on one tiny batch lower the loss`, async () => {
      const prepared = prepareTrainStep(model, 4, generator === undefined ? {} : { generator });
      try {
        const losses: number[] = [];
        for (let step = 0; step < 8; step++) {
          const outputs = await prepared.run();
          losses.push((await outputs[0]!.data())[0]!);
          tf.dispose(outputs);
        }
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(losses.at(-1)!).toBeLessThan(losses[0]!);
        expect(prepared.imagesPerRun).toBe(4);
      } finally {
        prepared.dispose();
      }
    });
  }

  it("gives the model's logits for the batch, the same each run", async () => {
    const prepared = prepareInference('seed-inv', 4);
    try {
      const [first] = await prepared.run();
      const [second] = await prepared.run();
      expect(first!.shape).toEqual([4, 10]);
      const logits = await first!.data();
      expect(logits.every(Number.isFinite)).toBe(true);
      expect(await second!.data()).toEqual(logits);
      expect(prepared.imagesPerRun).toBe(4);
      tf.dispose([first!, second!]);
    } finally {
      prepared.dispose();
    }
  });

  it('reports images/s for each measured row', async () => {
    const report = await smokeRun(trainSuite, ['cpu'], { filter: 'seed-inv', maxCaseMs: 0 });
    expect(report.results.map((r) => r.mode)).toEqual(['train-step', 'inference']);
    for (const row of report.results) {
      expect(row.status).toBe('ok');
      if (row.status !== 'ok') return;
      expect(row.imagesPerSecond).toBeCloseTo(32 / (row.timing.medianMs / 1000), 6);
    }
  });
});
