import { appendFile, cp, mkdir, mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyRun } from '../src/commands/verify.js';
import { writeFileAtomic } from '../src/run/atomic.js';
import { loadCheckpoint, readManifest } from '../src/run/checkpoint.js';
import { sha256 } from '../src/run/files.js';
import { readHistory } from '../src/run/run_dir.js';
import { train } from '../src/train/train.js';
import { writeLearnableCifar } from './helpers/cifar.js';
import { quiet, tinyRunFlags, trainArgs } from './helpers/run.js';

let dataDir: string;
let finished: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
  await writeLearnableCifar(dataDir);
  finished = join(await mkdtemp(join(tmpdir(), 'inv-run-')), 'run');
  expect(
    (await train(trainArgs([...tinyRunFlags(dataDir, finished), '--epochs', '1']), quiet())).status,
  ).toBe('completed');
});

/** A copy of the finished run and the folder of its latest checkpoint. */
async function copyOfRun(): Promise<{ run: string; checkpoint: string }> {
  const run = join(await mkdtemp(join(tmpdir(), 'inv-copy-')), 'run');
  await cp(finished, run, { recursive: true });
  const manifest = await readManifest(run, 'latest');
  return { run, checkpoint: join(run, 'checkpoints', manifest!.dir) };
}

describe('checkpoint integrity', () => {
  it('a finished run verifies clean', async () => {
    expect((await verifyRun(finished)).problems).toEqual([]);
  });

  it('names the file when weights.bin is truncated, changed in place, or a folder', async () => {
    const { run, checkpoint } = await copyOfRun();
    const weights = join(checkpoint, 'weights.bin');
    await truncate(weights, 1000);
    await expect(loadCheckpoint(run, 'latest')).rejects.toThrow(
      new RegExp(`^${weights} is damaged or was changed: its SHA-256 is [0-9a-f]{64}, .*latest.json records`),
    );
    // Same size, other bytes: what "evaluated fine at 11%" before hashes.
    const bytes = await readFile(join(finished, 'checkpoints', 'epoch-0001', 'weights.bin'));
    bytes.reverse();
    await writeFile(weights, bytes);
    await expect(loadCheckpoint(run, 'latest')).rejects.toThrow(`${weights} is damaged or was changed`);
    await rm(weights);
    await mkdir(weights);
    await expect(loadCheckpoint(run, 'latest')).rejects.toThrow(
      `cannot read ${weights} (expected the file ${join(run, 'checkpoints', 'latest.json')} records): EISDIR: it is a folder, not a file`,
    );
  });

  it('names latest.json when it is empty or not a manifest', async () => {
    const { run } = await copyOfRun();
    const latest = join(run, 'checkpoints', 'latest.json');
    await writeFile(latest, '');
    await expect(loadCheckpoint(run, 'latest')).rejects.toThrow(
      `${latest} is empty; expected a checkpoint manifest {dir, epoch, step, sha256} (JSON)`,
    );
    await writeFile(latest, '{"dir": "../../etc", "epoch": 1}');
    await expect(loadCheckpoint(run, 'latest')).rejects.toThrow(`${latest}: expected a checkpoint manifest`);
    expect((await verifyRun(run)).problems[0]).toContain(latest);
  });

  it('refuses NaN weights even when the manifest hashes them', async () => {
    const { run, checkpoint } = await copyOfRun();
    const weights = join(checkpoint, 'weights.bin');
    const bytes = await readFile(weights);
    new DataView(bytes.buffer, bytes.byteOffset).setFloat32(8, NaN, true);
    await writeFile(weights, bytes);
    const manifestPath = join(run, 'checkpoints', 'latest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    manifest.sha256['weights.bin'] = sha256(bytes);
    await writeFile(manifestPath, JSON.stringify(manifest));
    await expect(loadCheckpoint(run, 'latest')).rejects.toThrow(
      new RegExp(`^${weights}: '.+'\\[2\\] is NaN; a checkpoint holds only finite weights`),
    );
  });

  it('reports a torn last line of history.jsonl, and a resume recovers it', async () => {
    const { run } = await copyOfRun();
    await appendFile(join(run, 'history.jsonl'), '{"epoch": 2, "loss": 1.2');
    expect((await verifyRun(run)).problems).toEqual([
      `${join(run, 'history.jsonl')}: the last line is incomplete (a crash while appending); 'inv train --resume' recovers it`,
    ]);
    expect((await train(trainArgs(['--resume', '--out', run, '--epochs', '2']), quiet())).status).toBe(
      'completed',
    );
    expect((await readHistory(run)).map((r) => r.epoch)).toEqual([1, 2]);
    expect((await verifyRun(run)).problems).toEqual([]);
  });

  it('names config.json when it disagrees with the checkpoint, and the data file when it changed', async () => {
    const { run } = await copyOfRun();
    const configPath = join(run, 'config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    await writeFile(configPath, JSON.stringify({ ...config, seed: 6 }));
    expect((await verifyRun(run)).problems).toContainEqual(
      expect.stringContaining(`${configPath}: 'seed' is 6, but checkpoint epoch-0001 was written with 5`),
    );
    await writeFile(
      configPath,
      JSON.stringify({ ...config, dataSha256: { ...config.dataSha256, 'test_batch.bin': '0'.repeat(64) } }),
    );
    expect((await verifyRun(run)).problems).toContainEqual(
      expect.stringContaining(`${configPath}: 'dataSha256'`),
    );
  });
});

describe('atomic writes', () => {
  it('name the path that could not be written and leave no temporary file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'inv-atomic-'));
    const target = join(dir, 'figure.png');
    await mkdir(target);
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow(
      `cannot write ${target}: EISDIR: it is a folder, not a file`,
    );
    expect(await readdir(dir)).toEqual(['figure.png']);
  });
});
