// How a process with an engine pool ends: the engine bundled into one file by esbuild (as the CLI is), run in
// a child process. The deadlines are generous process-exit limits, not timings.
import { describe, expect, it } from 'vitest';
import { runChild } from '../helpers/pool-wasm.js';

/** How soon a child must end after its last line (a hang never does; it typically takes well under 0.2 s). */
const PROMPT_MS = 5000;

/** Creates a 3-thread engine, waits for its workers, runs a job on them, prints `marker`. */
const setup = (marker: string) => `
const engine = createEngine({ module: new WebAssembly.Module(moduleBytes), threads: 3 });
await engine.ready;
const tasks = 10_000;
const out = engine.memory.alloc(tasks * 4);
const counts = engine.memory.alloc(tasks * 4);
const args = engine.memory.alloc(24);
engine.memory.i32(args, 2).set([out, counts]);
engine.runner.run('write_task', tasks, args, 64);
if (!engine.memory.i32(counts, tasks).every((c) => c === 1)) throw new Error('a task did not run once');
console.log('${marker}');
`;

describe('a process with an engine pool', () => {
  it('exits promptly when its main code ends, without dispose', async () => {
    const result = await runChild(setup('job done'), { marker: 'job done', deadlineMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.afterMarker).toBeGreaterThanOrEqual(0);
    expect(result.afterMarker).toBeLessThan(PROMPT_MS);
  });

  it('exits promptly when its main code ends before the workers have started', async () => {
    const body = `const engine = createEngine({ module: new WebAssembly.Module(moduleBytes), threads: 3 });
const args = engine.memory.alloc(24);
engine.memory.i32(args, 2).set([engine.memory.alloc(400), engine.memory.alloc(400)]);
engine.runner.run('write_task', 100, args, 0);
console.log('job done');`;
    const result = await runChild(body, { marker: 'job done', deadlineMs: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.afterMarker).toBeLessThan(PROMPT_MS);
  });

  it('exits promptly after dispose', async () => {
    const body = `${setup('job done')}
engine.dispose();`;
    const result = await runChild(body, { marker: 'job done', deadlineMs: 30_000 });
    expect(result.code).toBe(0);
    expect(result.afterMarker).toBeLessThan(PROMPT_MS);
  });

  it('ends on SIGINT while idle (kept alive by a timer)', async () => {
    const body = `${setup('waiting')}
setInterval(() => undefined, 1000);`;
    const result = await runChild(body, {
      marker: 'waiting',
      deadlineMs: 30_000,
      onMarker: (child) => child.kill('SIGINT'),
    });
    expect(result.signal).toBe('SIGINT');
    expect(result.afterMarker).toBeLessThan(PROMPT_MS);
  });

  it('ends on SIGINT in the middle of a job that never finishes on any thread', async () => {
    const body = `${setup('looping')}
engine.runner.run('forever', 3, args, 0);`;
    const result = await runChild(body, {
      marker: 'looping',
      deadlineMs: 30_000,
      // Let the job start on every thread first.
      onMarker: (child) => setTimeout(() => child.kill('SIGINT'), 200),
    });
    expect(result.signal).toBe('SIGINT');
    expect(result.afterMarker).toBeLessThan(PROMPT_MS + 200);
  });

  it('ends on SIGINT with a handler that disposes the engine and exits', async () => {
    const body = `${setup('job done')}
setInterval(() => undefined, 1000);
process.on('SIGINT', () => {
  engine.dispose();
  console.log('disposed');
  process.exit(130);
});
console.log('armed');`;
    const result = await runChild(body, {
      marker: 'armed',
      deadlineMs: 30_000,
      onMarker: (child) => child.kill('SIGINT'),
    });
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('disposed');
    expect(result.afterMarker).toBeLessThan(PROMPT_MS);
  });
});
