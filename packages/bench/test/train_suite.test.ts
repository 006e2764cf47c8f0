import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@inv/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  prepareTrainStep,
  runSuite,
  TRAIN_IMPL,
  TRAIN_MODELS,
  TRAIN_PEER_IMPL,
  trainSuite,
} from '../src/index.js';

describe('train suite', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('has one train-step case per model at batch 256 (32 quick; RedNet-26 an eighth), and the two peer targets', () => {
    const cases = trainSuite.cases({ quick: false });
    expect(cases.map((c) => [c.case, c.impl, c.mode])).toEqual(
      TRAIN_MODELS.map((m) => [m, TRAIN_IMPL, 'train-step']),
    );
    const batches = (quick: boolean) =>
      trainSuite.cases({ quick }).map((c) => [c.case, /^B(\d+) /.exec(c.shape)![1]]);
    expect(batches(false)).toEqual(TRAIN_MODELS.map((m) => [m, m === 'rednet-26' ? '64' : '256']));
    expect(batches(true)).toEqual(TRAIN_MODELS.map((m) => [m, m === 'rednet-26' ? '8' : '32']));
    expect(trainSuite.defaultBackends).toEqual(['cpu', 'wasm']);
    expect(trainSuite.comparisons.map((c) => [c.cases, c.baseline, c.minSpeedup])).toEqual([
      [['seed-inv'], TRAIN_PEER_IMPL, 2.5],
      [['seed-conv'], TRAIN_PEER_IMPL, 1],
    ]);
    // A seed-conv miss on cpu states its known cause.
    expect(Object.keys(trainSuite.comparisons[1]!.missedBecause ?? {})).toEqual(['cpu']);
  });

  for (const model of ['seed-conv', 'seed-inv']) {
    it(`${model}: repeated steps on one tiny batch lower the loss`, async () => {
      const prepared = prepareTrainStep(model, 4);
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
    const report = await runSuite(trainSuite, {
      backends: ['cpu'],
      allowSoftwareWebgpu: false,
      quick: true,
      peer: false,
      filter: 'seed-inv',
      warmup: 1,
      repeats: 1,
      maxCaseMs: 0,
    });
    expect(report.results).toHaveLength(1);
    const row = report.results[0]!;
    expect(row.status).toBe('ok');
    if (row.status !== 'ok') return;
    expect(row.imagesPerSecond).toBeCloseTo(32 / (row.timing.medianMs / 1000), 6);
  });
});
