import { expect } from 'vitest';
import { createEngine } from '../../src/engine/engine.js';
import { createSerialEngine } from '../../src/engine/serial.js';
import type { Engine } from '../../src/engine/types.js';
import { engineModule, fmaSupported } from '../../src/engine/variant.js';

/** The module variants kernels are checked on: mul + add, and fused where this runtime has relaxed SIMD. */
export function variants(): { name: string; fma: boolean }[] {
  return [{ name: 'mul+add', fma: false }, ...(fmaSupported() ? [{ name: 'fma', fma: true }] : [])];
}

/** A worker-pool engine on `threads` threads, its workers started (so every thread takes tasks). */
function poolEngine(threads: number, fma: boolean): Engine {
  const engine = createEngine({ module: engineModule({ shared: true, fma }).module, threads });
  if (!engine.waitForWorkers(30_000)) throw new Error(`the ${threads}-thread engine's workers did not start`);
  return engine;
}

/**
 * The task runners a kernel runs under: the serial engine, and the worker pool at 1, 2 and 3 threads (3 on
 * this 2-core machine: more threads than cores, so tasks interleave differently from run to run).
 */
const runners: { name: string; create(fma: boolean): Engine }[] = [
  { name: 'serial', create: (fma) => createSerialEngine(engineModule({ shared: false, fma }).module) },
  ...[1, 2, 3].map((threads) => ({
    name: `pool-${threads}`,
    create: (fma: boolean) => poolEngine(threads, fma),
  })),
];

/**
 * Runs `kernel` on a fresh engine of each runner for one variant and asserts their outputs are bit-identical
 * (a task's result must not depend on the thread running it); returns the output.
 */
export function onEngines(fma: boolean, kernel: (engine: Engine) => Float32Array): Float32Array {
  const outputs = runners.map((runner) => {
    const engine = runner.create(fma);
    try {
      return kernel(engine);
    } finally {
      engine.dispose();
    }
  });
  const first = outputs[0]!;
  outputs.forEach((output, i) => {
    expect(
      new Uint32Array(output.buffer, output.byteOffset, output.length),
      `${runners[i]!.name} vs ${runners[0]!.name}`,
    ).toEqual(new Uint32Array(first.buffer, first.byteOffset, first.length));
  });
  return first;
}
