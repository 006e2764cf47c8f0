import { Allocations } from './allocations.js';
import { ceilDiv } from './tiles.js';
import type { Engine } from './types.js';

/** Floats a task updates: a variable under it is one task, on the calling thread. */
const TASK_FLOATS = 32768;

/** Byte addresses of one variable's Adam step: its value, moments and gradient, and the three outputs. */
export interface AdamAddresses {
  value: number;
  m: number;
  v: number;
  gradient: number;
  newValue: number;
  newM: number;
  newV: number;
}

/**
 * Adam's constants as tfjs makes them, each a float32: β₁, 1 − β₁, β₂, 1 − β₂, ε, −lr, and the bias
 * corrections 1 − β₁ᵗ, 1 − β₂ᵗ (tfjs's `oneMinusAccBeta` scalars).
 */
export interface AdamConstants {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

/** One Adam step of `length` floats on the engine (engine.wat's `adamUpdate`): tfjs's AdamOptimizer's bits. */
export function adamUpdate(engine: Engine, at: AdamAddresses, length: number, c: AdamConstants): void {
  if (length === 0) return;
  const scope = new Allocations(engine.memory);
  try {
    const words = [at.value, at.m, at.v, at.gradient, at.newValue, at.newM, at.newV, length, TASK_FLOATS];
    const args = scope.args([...words, 0, 0, 0, 0, 0, 0, 0, 0]);
    engine.memory
      .f32(args + words.length * 4, 8)
      .set([
        c.beta1,
        1 - c.beta1,
        c.beta2,
        1 - c.beta2,
        c.epsilon,
        -c.learningRate,
        c.oneMinusAccBeta1,
        c.oneMinusAccBeta2,
      ]);
    engine.runner.run('adamUpdate', ceilDiv(length, TASK_FLOATS), args, 0);
  } finally {
    scope.free();
  }
}
