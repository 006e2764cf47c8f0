import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type ThreadedEngine } from '../../src/engine/engine.js';
import { createPool } from '../../src/engine/pool.js';
import { awaitModuleWorkers, moduleRunner } from '../../src/engine/module_runners.js';
import {
  ARGS,
  secondModuleBytes,
  sharedModuleBytes,
  startTrapModuleBytes,
  unsharedModuleBytes,
} from '../helpers/pool-wasm.js';

let module: WebAssembly.Module;
let unsharedModule: WebAssembly.Module;
let secondModule: WebAssembly.Module;
const engines: ThreadedEngine[] = [];

beforeAll(async () => {
  module = new WebAssembly.Module(await sharedModuleBytes());
  unsharedModule = new WebAssembly.Module(await unsharedModuleBytes());
  secondModule = new WebAssembly.Module(await secondModuleBytes());
});

afterEach(() => {
  for (const engine of engines.splice(0)) engine.dispose();
});

/** An engine whose workers have all started (so that jobs really spread over `threads` threads). */
async function started(threads: number): Promise<ThreadedEngine> {
  const engine = createEngine({ module, threads });
  engines.push(engine);
  await engine.ready;
  expect(engine.pool.readyWorkers()).toBe(threads - 1);
  return engine;
}

/** A job's args block and its output and count arrays (fresh views: the memory may grow). */
function job(engine: ThreadedEngine, tasks: number, param = 0) {
  const { memory } = engine;
  const out = memory.alloc(tasks * 4);
  const counts = memory.alloc(tasks * 4);
  const meet = memory.alloc(8);
  const args = memory.alloc(6 * 4);
  memory.i32(out, tasks).fill(0);
  memory.i32(counts, tasks).fill(0);
  memory.i32(meet, 2).fill(0);
  memory.i32(args, 6).set([out, counts, param, meet, engine.runner.threads, meet + 4]);
  return {
    args,
    out: () => memory.i32(out, tasks),
    outF32: () => memory.f32(out, tasks),
    counts: () => memory.i32(counts, tasks),
    set: (word: number, value: number) => (memory.i32(args, 6)[word] = value),
    free: () => [out, counts, meet, args].forEach((a) => memory.free(a)),
  };
}

describe('the engine pool', () => {
  it('runs every task exactly once for fewer, as many and far more tasks than threads', async () => {
    for (const threads of [1, 2, 3]) {
      const engine = await started(threads);
      for (const tasks of [0, 1, threads - 1, threads, threads + 1, 7, 1000, 100_003]) {
        const j = job(engine, Math.max(tasks, 1));
        engine.runner.run('write_task', tasks, j.args, 0);
        const counts = j.counts();
        for (let task = 0; task < tasks; task++)
          if (counts[task] !== 1) expect([task, counts[task]]).toEqual([task, 1]);
        j.free();
      }
    }
  });

  it('gives bit-identical outputs for 1, 2 and 3 threads (also before the workers have started)', async () => {
    const tasks = 50_000;
    const outputs: Buffer[] = [];
    for (const threads of [1, 2, 3]) {
      for (const wait of [false, true]) {
        const engine = createEngine({ module, threads });
        engines.push(engine);
        if (wait) await engine.ready;
        const j = job(engine, tasks);
        for (let repeat = 0; repeat < 3; repeat++) engine.runner.run('write_task', tasks, j.args, 0);
        expect(j.counts().every((c) => c === 3)).toBe(true);
        outputs.push(Buffer.from(j.outF32().slice().buffer));
      }
    }
    expect(outputs[0]![4 * 9 + 3]).not.toBe(0);
    for (const output of outputs.slice(1)) expect(output.equals(outputs[0]!)).toBe(true);
  });

  it('runs every task once while pools take turns (their workers spin, hand over the spin token, sleep)', async () => {
    const [a, b] = [await started(3), await started(2)];
    const jobs = [job(a, 64), job(b, 64)];
    for (let turn = 0; turn < 400; turn++) {
      const k = turn % 3 === 0 ? 1 : 0;
      // Back to back (workers still spinning), or after a pause longer than the spin (workers asleep).
      if (turn % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      [a, b][k]!.runner.run('write_task', 64, jobs[k]!.args, 0);
    }
    const runs = [266, 134];
    jobs.forEach((j, k) => expect([...new Set(j.counts())]).toEqual([runs[k]]));
    jobs.forEach((j) => j.free());
  });

  it('gives every thread a private scratch area of at least the requested bytes, 16-byte aligned', async () => {
    for (const threads of [2, 3]) {
      const engine = await started(threads);
      for (const bytes of [16, 4096, 300_000]) {
        const j = job(engine, threads, bytes / 4);
        engine.runner.run('scratch_private', threads, j.args, bytes);
        expect([...j.out()]).toEqual(new Array(threads).fill(0));
        const scratches = [...j.counts()].sort((a, b) => a - b);
        expect(new Set(scratches).size).toBe(threads);
        for (let i = 0; i < threads; i++) {
          expect(scratches[i]! % 16).toBe(0);
          if (i > 0) expect(scratches[i]! - scratches[i - 1]!).toBeGreaterThanOrEqual(bytes);
        }
        j.free();
      }
    }
  });

  it('turns a trap into an error on the calling thread naming the export, and keeps working', async () => {
    const engine = await started(3);
    // The calling thread's scratch address (thread 0's, the lowest).
    const probe = job(engine, 3, 4);
    engine.runner.run('scratch_private', 3, probe.args, 16);
    const own = Math.min(...probe.counts());
    probe.free();
    for (const [onCaller, where] of [
      [1, 'the calling thread'],
      [0, 'worker thread'],
    ] as const) {
      const j = job(engine, 3, onCaller);
      j.set(ARGS.OUT, own);
      expect(() => engine.runner.run('trap_on_thread', 3, j.args, 16)).toThrow(
        new RegExp(`^engine: task \\d of 'trap_on_thread' failed on ${where}.*: RuntimeError: unreachable`),
      );
      j.free();
    }
    // A trap amid many tasks: the job still ends (the rest are skipped once a task failed).
    const j = job(engine, 10_000, 5000);
    expect(() => engine.runner.run('trap_on_task', 10_000, j.args, 0)).toThrow(
      /^engine: task 5000 of 'trap_on_task' failed on .*: RuntimeError: unreachable/,
    );
    expect(j.counts()[5000]).toBe(0);
    j.free();
    // And the pool works afterwards, on every thread.
    const after = job(engine, 3, 4);
    engine.runner.run('scratch_private', 3, after.args, 16);
    expect(new Set(after.counts()).size).toBe(3);
    const all = job(engine, 1000);
    engine.runner.run('write_task', 1000, all.args, 0);
    expect(all.counts().every((c) => c === 1)).toBe(true);
  });

  it('lets the workers see memory grown between jobs', async () => {
    const engine = await started(3);
    const j = job(engine, 3);
    engine.runner.run('grown', 3, j.args, 16);
    const before = engine.memory.memory.buffer.byteLength / 65536;
    expect([...j.out()]).toEqual([before, before, before]);
    // Grow by 64 MiB and write at its end.
    const high = engine.memory.alloc(64 << 20);
    const after = engine.memory.memory.buffer.byteLength / 65536;
    expect(after).toBeGreaterThan(before + 1000);
    const target = high + (64 << 20) - 16;
    const k = job(engine, 3, target);
    engine.runner.run('grown', 3, k.args, 16);
    expect([...k.out()]).toEqual([after, after, after]);
    expect(new Set(k.counts()).size).toBe(3);
    expect([...engine.memory.i32(target, 3)]).toEqual([1, 2, 3]);
  });

  it('grows the scratch between jobs, and the workers use the new areas', async () => {
    const engine = await started(2);
    for (const bytes of [64, 1 << 20, 256, 8 << 20]) {
      const j = job(engine, 2, bytes / 4);
      engine.runner.run('scratch_private', 2, j.args, bytes);
      expect([...j.out()]).toEqual([0, 0]);
      j.free();
    }
  });

  it('can wait synchronously for its workers', () => {
    const engine = createEngine({ module, threads: 3 });
    engines.push(engine);
    expect(engine.waitForWorkers()).toBe(true);
    expect(engine.pool.readyWorkers()).toBe(2);
    // The rendezvous needs all three threads at once.
    const j = job(engine, 3, 4);
    engine.runner.run('scratch_private', 3, j.args, 16);
    expect(new Set(j.counts()).size).toBe(3);
  });

  it('still works, on the calling thread, when its workers fail to start', async () => {
    const engine = createEngine({ module: new WebAssembly.Module(await startTrapModuleBytes()), threads: 3 });
    engines.push(engine);
    await expect(engine.ready).rejects.toThrow(
      /^engine pool: worker thread [12] failed to start: RuntimeError: unreachable/,
    );
    expect(engine.waitForWorkers()).toBe(false);
    expect(engine.pool.readyWorkers()).toBe(0);
    const j = job(engine, 1000);
    engine.runner.run('write_task', 1000, j.args, 0);
    expect(j.counts().every((c) => c === 1)).toBe(true);
  });

  it('ends every worker on dispose', async () => {
    const engine = createEngine({ module, threads: 3 });
    await engine.ready;
    const j = job(engine, 100);
    engine.runner.run('write_task', 100, j.args, 0);
    engine.dispose();
    engine.dispose();
    await engine.pool.exited;
    expect(() => engine.runner.run('write_task', 1, j.args, 0)).toThrow(
      "engine: run('write_task') after dispose",
    );
  });

  it('falls back to one thread for a module importing a non-shared memory', () => {
    const engine = createEngine({ module: unsharedModule, threads: 3 });
    engines.push(engine);
    expect(engine.memory.shared).toBe(false);
    expect(engine.runner.threads).toBe(1);
    const j = job(engine, 100);
    engine.runner.run('write_task', 100, j.args, 0);
    expect(j.counts().every((c) => c === 1)).toBe(true);
    const k = job(engine, 10, 3);
    expect(() => engine.runner.run('trap_on_task', 10, k.args, 0)).toThrow(
      "engine: task 3 of 'trap_on_task' failed on the calling thread: RuntimeError: unreachable",
    );
  });

  it("runs several modules' tasks on one set of workers, each module's exports its own", async () => {
    const engine = await started(3);
    const modules = [module, secondModule].map((m) => ({
      module: m,
      exports: new WebAssembly.Instance(m, { env: { memory: engine.memory.memory } }).exports,
    }));
    const pool = createPool({ modules, memory: engine.memory, threads: 3 });
    try {
      await pool.ready;
      expect(pool.readyWorkers()).toBe(2);
      for (const index of [0, 1, 0, 1]) {
        // The rendezvous needs all three threads: the workers run each module's kernels.
        const meet = job(engine, 3, 4);
        pool.runner(index).run('scratch_private', 3, meet.args, 16);
        expect(new Set(meet.counts()).size).toBe(3);
        meet.free();
      }
      const j = job(engine, 1000);
      pool.runner(1).run('write_scaled', 1000, j.args, 0);
      expect(j.counts().every((c) => c === 1)).toBe(true);
      expect([...j.out()]).toEqual(Array.from({ length: 1000 }, (_, task) => 7 * task));
      expect(() => pool.runner(0).run('write_scaled', 1, j.args, 0)).toThrow(
        "engine: the module has no export 'write_scaled'",
      );
      expect(() => pool.runner(2)).toThrow('engine pool: no module 2 (it has 2)');
      j.free();
    } finally {
      pool.dispose();
    }
  });

  it('gives the modules on one memory one pool, which a new module or thread count replaces', async () => {
    const shared = createEngine({ module, threads: 3 });
    engines.push(shared);
    const memory = shared.memory;
    const instance = (m: WebAssembly.Module) =>
      new WebAssembly.Instance(m, { env: { memory: memory.memory } }).exports as ThreadedEngine['exports'];
    const first = moduleRunner(module, memory, instance(module), 3);
    expect(moduleRunner(module, memory, instance(module), 3)).toBe(first);
    const second = moduleRunner(secondModule, memory, instance(secondModule), 3);
    expect(awaitModuleWorkers(30_000)).toBe(true);
    // The first runner follows the memory's new pool: both modules run on all three threads.
    for (const runner of [first, second, first]) {
      const meet = job(shared, 3, 4);
      runner.run('scratch_private', 3, meet.args, 16);
      expect(new Set(meet.counts()).size).toBe(3);
      meet.free();
    }
    const two = moduleRunner(secondModule, memory, instance(secondModule), 2);
    expect([first.threads, second.threads, two.threads]).toEqual([2, 2, 2]);
    expect(awaitModuleWorkers(30_000)).toBe(true);
    const j = job(shared, 100);
    first.run('write_task', 100, j.args, 0);
    expect(j.counts().every((c) => c === 1)).toBe(true);
    j.free();
    // One thread: the workers end (the memory's pool has none).
    moduleRunner(module, memory, instance(module), 1);
    expect(first.threads).toBe(1);
  });

  it('rejects unknown exports and bad task counts', async () => {
    const engine = await started(2);
    expect(() => engine.runner.run('nope', 1, 0, 0)).toThrow("engine: the module has no export 'nope'");
    expect(() => engine.runner.run('noop', -1, 0, 0)).toThrow(
      'engine: run expects an integer task count in [0, 2^30], got -1',
    );
    expect(() => engine.runner.run('noop', 1, 0, 0.5)).toThrow(
      'a non-negative integer scratchBytes, got 0.5',
    );
  });
});
