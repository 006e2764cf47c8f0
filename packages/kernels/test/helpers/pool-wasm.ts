/**
 * A tiny engine module for the pool's tests, assembled from WAT with wabt, and a runner for child processes
 * that bundle the engine with esbuild (the way the CLI is bundled) and exercise how they end.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';

/**
 * Args blocks are i32 words: [0] output address (one word per task), [1] counts address (one word per task,
 * atomically incremented by every run of the task), [2] a parameter, [3] a rendezvous counter address,
 * [4] the rendezvous size (threads), [5] a second rendezvous counter address.
 */
const kernels = `
  (func $out (param $args i32) (param $task i32) (result i32)
    (i32.add (i32.load (local.get $args)) (i32.shl (local.get $task) (i32.const 2))))
  (func $count (param $args i32) (param $task i32)
    (drop (i32.atomic.rmw.add
      (i32.add (i32.load offset=4 (local.get $args)) (i32.shl (local.get $task) (i32.const 2)))
      (i32.const 1))))
  ;; Arrives at the counter and spins until \`expected\` threads have (bounded: returns 0 when it gives up).
  (func $rendezvous (param $counter i32) (param $expected i32) (result i32)
    (local $budget i32)
    (drop (i32.atomic.rmw.add (local.get $counter) (i32.const 1)))
    (local.set $budget (i32.const 0x7fffffff))
    (block $done
      (loop $spin
        (br_if $done (i32.ge_u (i32.atomic.load (local.get $counter)) (local.get $expected)))
        (local.set $budget (i32.sub (local.get $budget) (i32.const 1)))
        (br_if $spin (local.get $budget))))
    (i32.ne (local.get $budget) (i32.const 0)))

  ;; out[task] = sqrt(task) * 3.25 + 0.125 (as f32 bits); counts[task] += 1.
  (func (export "write_task") (param $task i32) (param $args i32) (param $scratch i32)
    (call $count (local.get $args) (local.get $task))
    (f32.store (call $out (local.get $args) (local.get $task))
      (f32.add (f32.mul (f32.sqrt (f32.convert_i32_u (local.get $task))) (f32.const 3.25)) (f32.const 0.125))))

  (func (export "noop") (param i32 i32 i32))

  ;; All tasks meet (one per thread), fill their scratch (param words) with their task index, meet again,
  ;; then out[task] = the words that changed, counts[task] = the scratch address.
  (func (export "scratch_private") (param $task i32) (param $args i32) (param $scratch i32)
    (local $i i32) (local $bad i32)
    (if (i32.eqz (call $rendezvous (i32.load offset=12 (local.get $args)) (i32.load offset=16 (local.get $args))))
      (then unreachable))
    (loop $fill
      (i32.store (i32.add (local.get $scratch) (i32.shl (local.get $i) (i32.const 2))) (local.get $task))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $fill (i32.lt_u (local.get $i) (i32.load offset=8 (local.get $args)))))
    (if (i32.eqz (call $rendezvous (i32.load offset=20 (local.get $args)) (i32.load offset=16 (local.get $args))))
      (then unreachable))
    (local.set $i (i32.const 0))
    (loop $check
      (if (i32.ne (i32.load (i32.add (local.get $scratch) (i32.shl (local.get $i) (i32.const 2)))) (local.get $task))
        (then (local.set $bad (i32.add (local.get $bad) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $check (i32.lt_u (local.get $i) (i32.load offset=8 (local.get $args)))))
    (i32.store (call $out (local.get $args) (local.get $task)) (local.get $bad))
    (i32.store (i32.add (i32.load offset=4 (local.get $args)) (i32.shl (local.get $task) (i32.const 2)))
      (local.get $scratch)))

  ;; All tasks meet; a task whose scratch is (param = 1) / is not (param = 0) the word at args[0] (there: the
  ;; calling thread's scratch address) traps, the others count themselves.
  (func (export "trap_on_thread") (param $task i32) (param $args i32) (param $scratch i32)
    (if (i32.eqz (call $rendezvous (i32.load offset=12 (local.get $args)) (i32.load offset=16 (local.get $args))))
      (then unreachable))
    (if (i32.eq (i32.load offset=8 (local.get $args))
                (i32.eq (local.get $scratch) (i32.load (local.get $args))))
      (then unreachable))
    (call $count (local.get $args) (local.get $task)))

  ;; Traps on task = param; the others count themselves.
  (func (export "trap_on_task") (param $task i32) (param $args i32) (param $scratch i32)
    (if (i32.eq (local.get $task) (i32.load offset=8 (local.get $args))) (then unreachable))
    (call $count (local.get $args) (local.get $task)))

  ;; All tasks meet; out[task] = memory.size; the word at param + 4 * task = task + 1; counts[task] = scratch.
  (func (export "grown") (param $task i32) (param $args i32) (param $scratch i32)
    (if (i32.eqz (call $rendezvous (i32.load offset=12 (local.get $args)) (i32.load offset=16 (local.get $args))))
      (then unreachable))
    (i32.store (call $out (local.get $args) (local.get $task)) (memory.size))
    (i32.store (i32.add (i32.load offset=8 (local.get $args)) (i32.shl (local.get $task) (i32.const 2)))
      (i32.add (local.get $task) (i32.const 1)))
    (i32.store (i32.add (i32.load offset=4 (local.get $args)) (i32.shl (local.get $task) (i32.const 2)))
      (local.get $scratch)))

  ;; Spins forever (for the SIGINT test).
  (func (export "forever") (param i32 i32 i32)
    (loop $spin (br $spin)))
`;

async function assemble(memoryImport: string, extra = ''): Promise<Uint8Array<ArrayBuffer>> {
  const toolkit = await wabt();
  const features = { threads: true };
  const text = `(module (import "env" "memory" ${memoryImport}) ${kernels} ${extra})`;
  const parsed = toolkit.parseWat('pool_test.wat', text, features);
  // wabt's typings omit validate's features argument (without it, shared memories are rejected).
  (parsed as unknown as { validate(features: object): void }).validate(features);
  const bytes = new Uint8Array(parsed.toBinary({}).buffer);
  parsed.destroy();
  return bytes;
}

/** The test module importing a shared memory (runs on any thread count). */
export const sharedModuleBytes = (): Promise<Uint8Array<ArrayBuffer>> => assemble('(memory 1 65536 shared)');
/**
 * The test module with a start function that traps on every instantiation but the first (it counts them in
 * the word at address 0, below the allocator's first block): workers fail to start.
 */
export const startTrapModuleBytes = (): Promise<Uint8Array<ArrayBuffer>> =>
  assemble(
    '(memory 1 65536 shared)',
    `(func $start (if (i32.atomic.rmw.add (i32.const 0) (i32.const 1)) (then unreachable))) (start $start)`,
  );
/**
 * The test module plus `write_scaled` (out[task] = 7 · task, counts[task] += 1): a second module for pools of
 * several, whose last export the first lacks.
 */
export const secondModuleBytes = (): Promise<Uint8Array<ArrayBuffer>> =>
  assemble(
    '(memory 1 65536 shared)',
    `(func (export "write_scaled") (param $task i32) (param $args i32) (param $scratch i32)
       (call $count (local.get $args) (local.get $task))
       (i32.store (call $out (local.get $args) (local.get $task)) (i32.mul (local.get $task) (i32.const 7))))`,
  );
/** The same kernels importing a non-shared memory (one thread only). */
export const unsharedModuleBytes = (): Promise<Uint8Array<ArrayBuffer>> => assemble('(memory 1)');

/** Word offsets of an args block. */
export const ARGS = { OUT: 0, COUNTS: 1, PARAM: 2, MEET: 3, THREADS: 4, MEET_AGAIN: 5 } as const;

const engineEntry = fileURLToPath(new URL('../../src/engine/engine.ts', import.meta.url));

interface Esbuild {
  buildSync(options: {
    entryPoints: string[];
    bundle: true;
    platform: 'node';
    format: 'esm';
    outfile: string;
  }): unknown;
}

/** esbuild, as vitest's own dependency (the workspace bundles the CLI with the same). */
function esbuild(): Esbuild {
  const vitest = realpathSync(createRequire(import.meta.url).resolve('vitest/package.json'));
  return createRequire(vitest)('esbuild') as Esbuild;
}

/** How a child process ended. */
export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the child's line `marker` on stdout to its exit (or -1 without the line). */
  afterMarker: number;
}

/**
 * Bundles `body` (an ES module body with `createEngine` and `moduleBytes`, a Uint8Array, in scope) into one
 * file with the engine, runs it with node, and calls `onMarker(child)` when it prints `marker`. Kills it after
 * `deadlineMs` (the result then has signal SIGKILL).
 */
export async function runChild(
  body: string,
  options: { marker: string; deadlineMs: number; onMarker?: (child: ReturnType<typeof spawn>) => void },
): Promise<ChildResult> {
  const folder = mkdtempSync(join(tmpdir(), 'inv-pool-'));
  writeFileSync(join(folder, 'module.wasm'), await sharedModuleBytes());
  const entry = join(folder, 'entry.ts');
  writeFileSync(
    entry,
    `import { readFileSync } from 'node:fs';
import { createEngine } from ${JSON.stringify(engineEntry)};
const moduleBytes = readFileSync(${JSON.stringify(join(folder, 'module.wasm'))});
${body}`,
  );
  const bundle = join(folder, 'bundle.mjs');
  esbuild().buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
  });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let markedAt = -1;
    const killer = setTimeout(() => child.kill('SIGKILL'), options.deadlineMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (markedAt < 0 && stdout.includes(options.marker)) {
        markedAt = Date.now();
        options.onMarker?.(child);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      rmSync(folder, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, afterMarker: markedAt < 0 ? -1 : Date.now() - markedAt });
    });
  });
}
