import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  FRONTIER_CASES,
  prepareTrainStep,
  TRAIN_IMPL,
  TRAIN_MODELS,
  TRAIN_PEER_IMPL,
  trainSuite,
} from '../src/index.js';
import { smokeRun } from './helpers/smoke_run.js';

describe('train suite', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('has one train-step case per model at batch 256 (32 quick; RedNet-26 a quarter), the ablation at 128, and the two peer targets', () => {
    const cases = trainSuite.cases({ quick: false });
    const names = [...TRAIN_MODELS, ...FRONTIER_CASES.map((c) => c.case)];
    expect(cases.map((c) => [c.case, c.impl, c.mode])).toEqual(
      names.map((m) => [m, TRAIN_IMPL, 'train-step']),
    );
    const batches = (quick: boolean) =>
      trainSuite.cases({ quick }).map((c) => [c.case, /^B(\d+) /.exec(c.shape)![1]]);
    const batchOf = (m: string, quick: boolean) =>
      String((m === 'rednet-26' ? 64 : m.startsWith('resinv') ? 128 : 256) / (quick ? 8 : 1));
    expect(batches(false)).toEqual(names.map((m) => [m, batchOf(m, false)]));
    expect(batches(true)).toEqual(names.map((m) => [m, batchOf(m, true)]));
    expect(trainSuite.defaultBackends).toEqual(['cpu', 'wasm']);
    expect(trainSuite.comparisons.map((c) => [c.cases, c.baseline, c.minSpeedup])).toEqual([
      [['seed-inv'], TRAIN_PEER_IMPL, 2.5],
      [['seed-conv'], TRAIN_PEER_IMPL, 1],
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
          const [loss] = await prepared.run();
          losses.push((await loss!.data())[0]!);
          tf.dispose(loss);
        }
        expect(losses.every(Number.isFinite)).toBe(true);
        expect(losses.at(-1)!).toBeLessThan(losses[0]!);
        expect(prepared.imagesPerRun).toBe(4);
      } finally {
        prepared.dispose();
      }
    });
  }

  it('reports images/s for each measured row', async () => {
    const report = await smokeRun(trainSuite, ['cpu'], { filter: 'seed-inv', maxCaseMs: 0 });
    expect(report.results).toHaveLength(1);
    const row = report.results[0]!;
    expect(row.status).toBe('ok');
    if (row.status !== 'ok') return;
    expect(row.imagesPerSecond).toBeCloseTo(32 / (row.timing.medianMs / 1000), 6);
  });
});
