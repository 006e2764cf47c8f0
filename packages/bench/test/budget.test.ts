import { initBackend } from '@inv/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaseBudget, measureCase, type PreparedCase } from '../src/index.js';

/** A fake clock and a case whose every run advances it by `runMs`: budgets without waiting. */
function fakeCase(runMs: number): { clock: () => number; prepared: PreparedCase; runs: () => number } {
  let now = 0;
  let runs = 0;
  return {
    clock: () => now,
    prepared: {
      run: () => {
        now += runMs;
        runs++;
        return [];
      },
      dispose: () => undefined,
    },
    runs: () => runs,
  };
}

const options = { warmup: 2, repeats: 10, maxCaseMs: 10_000 };

describe('CaseBudget', () => {
  it('is exhausted once the clock has moved by its limit', () => {
    let now = 100;
    const budget = new CaseBudget(50, () => now);
    expect(budget.exhausted()).toBe(false);
    now = 149;
    expect(budget.elapsedMs()).toBe(49);
    expect(budget.exhausted()).toBe(false);
    now = 150;
    expect(budget.exhausted()).toBe(true);
  });
});

describe('measureCase within a case budget (fake clock)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('runs every warm-up and repeat of a fast case, with no note', async () => {
    const { clock, prepared, runs } = fakeCase(1);
    const m = await measureCase(prepared, 'cpu', options, clock);
    expect(runs()).toBe(12);
    expect(m.timing).toMatchObject({ warmup: 2, repeats: 10, medianMs: 1 });
    expect(m.note).toBeUndefined();
  });

  it('stops repeating between runs once warm-up and repeats together use the budget', async () => {
    const { clock, prepared, runs } = fakeCase(4000);
    const m = await measureCase(prepared, 'cpu', options, clock);
    // 4 s profiled warm-up, 4 s warm-up, then one 4 s repeat takes it to 12 s: checked, stopped.
    expect(runs()).toBe(3);
    expect(m.timing).toMatchObject({ warmup: 2, repeats: 1, samplesMs: [4000] });
    expect(m.note).toBe('10 s case budget reached after 1 of 10 repeats');
  });

  it('reports the one cold run, with n = 1 and a note, when that run alone exceeds the budget', async () => {
    const { clock, prepared, runs } = fakeCase(15_000);
    const m = await measureCase(prepared, 'cpu', options, clock);
    expect(runs()).toBe(1);
    expect(m.timing).toMatchObject({ warmup: 0, repeats: 1, samplesMs: [15_000], medianMs: 15_000 });
    expect(m.note).toBe('over the 10 s case budget after one run: n=1 is that cold, profiled run');
  });

  it('reports the last warm-up when the warm-ups use the budget', async () => {
    const { clock, prepared, runs } = fakeCase(6000);
    const m = await measureCase(prepared, 'cpu', { ...options, warmup: 3 }, clock);
    expect(runs()).toBe(2);
    expect(m.timing).toMatchObject({ warmup: 1, repeats: 1, samplesMs: [6000] });
    expect(m.note).toBe('over the 10 s case budget after 2 warm-ups: n=1 is the last of them');
  });

  it('warms up past the warm-up count until the minimum warm-up time has passed', async () => {
    const { clock, prepared, runs } = fakeCase(30);
    const m = await measureCase(prepared, 'cpu', { ...options, minWarmupMs: 100 }, clock);
    // Runs start at 0, 30, 60, 90 ms: the fourth ends the warm-up at 120 ms; then 10 repeats.
    expect(runs()).toBe(14);
    expect(m.timing).toMatchObject({ warmup: 4, repeats: 10 });
  });

  it('keeps the warm-up count when it takes longer than the minimum time', async () => {
    const { clock, prepared, runs } = fakeCase(30);
    const m = await measureCase(prepared, 'cpu', { ...options, warmup: 5, minWarmupMs: 60 }, clock);
    expect(runs()).toBe(15);
    expect(m.timing).toMatchObject({ warmup: 5 });
  });
});
