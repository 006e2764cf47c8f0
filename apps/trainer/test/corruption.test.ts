/**
 * Corruption: seeded random byte flips, truncations and deletions across a finished run's folder and its
 * dataset folder. Each case must either work unchanged (verify finds nothing, evaluate gives the same figures)
 * or fail with an error naming the damaged file: never a raw TypeError, never a silently different result.
 */
import { readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@inv/data';
import type { EvaluateArgs } from '../src/args.js';
import { evaluateCommand, type EvaluateResult } from '../src/commands/evaluate.js';
import { verifyRun } from '../src/commands/verify.js';
import { train } from '../src/train/train.js';
import { writeLearnableCifar } from './helpers/cifar.js';
import { quiet, tinyRunFlags, trainArgs } from './helpers/run.js';

const CASES = 200;
const SEED = Number(process.env['INV_FAULT_SEED'] ?? Math.floor(Math.random() * 2 ** 31));

let dataDir: string;
let runDir: string;
let baseline: EvaluateResult;

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

const evaluateArgs: EvaluateArgs = {
  command: 'evaluate',
  run: '',
  checkpoint: 'best',
  dataDir: undefined,
  limit: 64,
  backend: 'wasm',
  weights: 'raw',
  tta: false,
  out: undefined,
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
  await writeLearnableCifar(dataDir);
  runDir = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
  expect((await train(trainArgs(tinyRunFlags(dataDir, runDir)), quiet())).status).toBe('completed');
  evaluateArgs.run = runDir;
  baseline = await evaluateCommand(evaluateArgs, () => {});
  expect((await verifyRun(runDir)).problems).toEqual([]);
});

type Damage = 'flip' | 'truncate' | 'delete';

function damage(file: string, kind: Damage, random: () => number): string {
  const size = readFileSync(file).length;
  if (kind === 'delete') {
    rmSync(file);
    return 'deleted';
  }
  if (kind === 'truncate' || size === 0) {
    const length = Math.floor(random() * size);
    truncateSync(file, length);
    return `truncated to ${length} of ${size} bytes`;
  }
  const bytes = readFileSync(file);
  const at = Math.floor(random() * size);
  const mask = 1 + Math.floor(random() * 255);
  bytes[at] = bytes[at]! ^ mask;
  writeFileSync(file, bytes);
  return `byte ${at} of ${size} xor ${mask}`;
}

describe('a run folder and its data under random damage', () => {
  it(`works unchanged or names the damaged file, in ${CASES} seeded cases`, async () => {
    console.log(`corruption test seed ${SEED} (rerun with INV_FAULT_SEED=${SEED})`);
    const random = mulberry32(SEED);
    const runFiles = filesUnder(runDir);
    const dataFiles = filesUnder(dataDir);
    const worked: string[] = [];
    let namedTheFile = 0;
    const failures: string[] = [];
    for (let i = 0; i < CASES; i++) {
      // A quarter of the cases hit the dataset, the rest the run folder.
      const pool = random() < 0.25 ? dataFiles : runFiles;
      const file = pool[Math.floor(random() * pool.length)]!;
      const r = random();
      const kind: Damage = r < 0.6 ? 'flip' : r < 0.8 ? 'truncate' : 'delete';
      const original = readFileSync(file);
      const what = damage(file, kind, random);
      try {
        const name = basename(file);
        const report = await verifyRun(runDir);
        let evaluated: EvaluateResult | Error;
        try {
          evaluated = await evaluateCommand(evaluateArgs, () => {});
        } catch (error) {
          evaluated = error as Error;
        }
        const sameResult =
          !(evaluated instanceof Error) &&
          evaluated.loss === baseline.loss &&
          evaluated.accuracy === baseline.accuracy;
        const namedError =
          evaluated instanceof Error &&
          !['TypeError', 'RangeError', 'SyntaxError', 'ReferenceError'].includes(evaluated.name) &&
          evaluated.message.includes(name);
        const verifyNamed = report.problems.length > 0 && report.problems.some((p) => p.includes(name));
        if (report.problems.length === 0 && sameResult) worked.push(`${basename(file)} ${what}`);
        else if (verifyNamed && (sameResult || namedError)) namedTheFile++;
        else
          failures.push(
            `case ${i}: ${file} ${what}: verify ${JSON.stringify(report.problems)}; evaluate ${
              evaluated instanceof Error
                ? `${evaluated.name}: ${evaluated.message}`
                : JSON.stringify(evaluated)
            }`,
          );
      } finally {
        writeFileSync(file, original);
      }
    }
    console.log(
      `corruption: ${CASES} cases, ${worked.length} worked unchanged (${worked.join('; ')}), ${namedTheFile} failed naming the file, ${failures.length} otherwise`,
    );
    expect(failures).toEqual([]);
  }, 180_000);
});
