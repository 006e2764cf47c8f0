/**
 * Fault injection: the real CLI (dist/cli.js) trains a tiny run and is killed with SIGKILL at seeded random
 * moments — during start-up, steps, evaluation and checkpoint writes — then resumed as its Ctrl-C message says
 * (`inv train --resume --out DIR`). Every run must complete, load at every stop, and end with weights
 * bit-identical to an uninterrupted run with the same seed.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@inv/data';
import { verifyRun } from '../src/commands/verify.js';
import { loadCheckpoint } from '../src/run/checkpoint.js';
import { writeLearnableCifar } from './helpers/cifar.js';
import { tinyRunFlags } from './helpers/run.js';

const KILLS = 20;
/** Kills per run folder: later ones let it complete, and a fresh run takes the next kills from epoch 0 again. */
const KILLS_PER_RUN = 5;
const EPOCHS = 4;
const SEED = Number(process.env['INV_FAULT_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs `inv train` with `flags`; with `killAt`, SIGKILLs it that many ms after it starts (`from: 'spawn'`) or
 * after it starts training (`from: 'training'`, its "model ..." line).
 */
function runCli(
  flags: string[],
  killAt?: { from: 'spawn' | 'training'; ms: number },
): Promise<Exit & { trainingAfterMs?: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'train', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let trainingAfterMs: number | undefined;
    const kill = () => child.kill('SIGKILL');
    if (killAt?.from === 'spawn') setTimeout(kill, killAt.ms);
    child.stdout.on('data', (chunk: Buffer) => {
      if (trainingAfterMs === undefined && /^model /m.test(chunk.toString())) {
        trainingAfterMs = performance.now() - started;
        if (killAt?.from === 'training') setTimeout(kill, killAt.ms);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stderr, trainingAfterMs }));
  });
}

let dataDir: string;
let root: string;
let reference: { weights: Buffer; optimizer: Buffer; startupMs: number; trainingMs: number };

const latestFiles = async (runDir: string) => {
  const latest = await loadCheckpoint(runDir, 'latest');
  latest!.model.dispose();
  const dir = join(runDir, 'checkpoints', latest!.manifest.dir);
  return {
    weights: readFileSync(join(dir, 'weights.bin')),
    optimizer: readFileSync(join(dir, 'optimizer.bin')),
  };
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
  await writeLearnableCifar(dataDir);
  root = await mkdtemp(join(tmpdir(), 'inv-kill-'));
  const out = join(root, 'reference');
  const started = performance.now();
  const exit = await runCli([...tinyRunFlags(dataDir, out), '--epochs', String(EPOCHS)]);
  expect(exit, exit.stderr).toMatchObject({ code: 0 });
  reference = {
    ...(await latestFiles(out)),
    startupMs: exit.trainingAfterMs!,
    trainingMs: performance.now() - started - exit.trainingAfterMs!,
  };
});

describe('inv train killed with SIGKILL at random moments', () => {
  it(`always resumes to the uninterrupted run's exact weights (${KILLS} kills)`, async () => {
    console.log(`kill test seed ${SEED} (rerun with INV_FAULT_SEED=${SEED})`);
    const random = mulberry32(SEED);
    const moments: string[] = [];
    let kills = 0;
    let rounds = 0;
    // A round is one run folder trained to completion; rounds repeat until every kill has been delivered.
    while (kills < KILLS) {
      const out = join(root, `run-${++rounds}`);
      const fresh = [...tinyRunFlags(dataDir, out), '--epochs', String(EPOCHS)];
      const stop = Math.min(KILLS, kills + KILLS_PER_RUN);
      for (;;) {
        const finished = (await loadCheckpoint(out, 'latest').catch(() => null))?.state.epoch ?? 0;
        const flags = existsSync(join(out, 'config.json')) ? ['--resume', '--out', out] : fresh;
        // A fifth of the kills fall in start-up (config, data, resume), the rest over the training left.
        const killAt =
          kills >= stop
            ? undefined
            : random() < 0.2
              ? { from: 'spawn' as const, ms: random() * reference.startupMs }
              : {
                  from: 'training' as const,
                  ms: (random() * reference.trainingMs * (EPOCHS - finished)) / EPOCHS,
                };
        const exit = await runCli(flags, killAt);
        if (exit.signal === 'SIGKILL') {
          kills++;
          moments.push(`${killAt!.from}+${Math.round(killAt!.ms)}ms@epoch${finished}`);
          // Whatever the moment, what is on disk loads (or there is no checkpoint yet).
          (await loadCheckpoint(out, 'latest'))?.model.dispose();
          continue;
        }
        expect(exit, exit.stderr).toMatchObject({ code: 0 });
        if (existsSync(join(out, 'metrics.json'))) break;
      }
      expect((await verifyRun(out)).problems).toEqual([]);
      const files = await latestFiles(out);
      expect(files.weights.equals(reference.weights)).toBe(true);
      expect(files.optimizer.equals(reference.optimizer)).toBe(true);
    }
    console.log(`kill test: ${kills} kills over ${rounds} run(s): ${moments.join(', ')}`);
  }, 240_000);
});
