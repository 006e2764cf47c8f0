/**
 * `inv train --float16-kernels`: the run trains on webgpu with its involution kernels stored as float16,
 * config.json records it, and a backend without that storage is refused by name, before anything is written,
 * for a new run (the flag) and a resumed one (config.json).
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLOAT16_KERNELS_FLAG, initBackend } from '@inv/core';
import { train } from '../src/train/train.js';
import { writeLearnableCifar } from './helpers/cifar.js';
import { quiet, tinyRunFlags, trainArgs } from './helpers/run.js';

const hasWebGPU = await initBackend('webgpu').then(
  () => true,
  (error: unknown) => {
    if (process.env['CI'] === 'true') throw error;
    console.warn(`[inv tests] skipping float16 kernel runs: ${String(error)}`);
    return false;
  },
);

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
  await writeLearnableCifar(dataDir);
});

/** tinyRunFlags on `backend`, one epoch of two steps, with `extra`. */
function flags(out: string, backend: string, extra: string[] = []): string[] {
  const f = tinyRunFlags(dataDir, out);
  f[f.indexOf('--backend') + 1] = backend;
  f[f.indexOf('--epochs') + 1] = '1';
  return [...f, ...extra];
}

describe.runIf(hasWebGPU)('inv train --float16-kernels', () => {
  it('trains on webgpu with float16 kernels, recorded in config.json; a resume elsewhere is refused', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-f16-'));
    const float32 = await train(trainArgs(flags(join(root, 'f32'), 'webgpu')), quiet());
    expect(tf.env().getBool(FLOAT16_KERNELS_FLAG)).toBe(false);
    const float16 = await train(
      trainArgs(flags(join(root, 'f16'), 'webgpu', ['--float16-kernels'])),
      quiet(),
    );
    expect(tf.env().getBool(FLOAT16_KERNELS_FLAG)).toBe(true);
    expect(float16.status).toBe('completed');
    const config = JSON.parse(await readFile(join(root, 'f16', 'config.json'), 'utf8'));
    expect(config.float16Kernels).toBe(true);
    // The same seeded steps with kernels rounded to 11 bits: close, and not the same (the test loss, which
    // the trained weights give; the two steps' training losses can agree to float32's last bit).
    const [loss32, loss16] = [float32.history[0]!.val_loss!, float16.history[0]!.val_loss!];
    expect(Math.abs(loss16 - loss32) / loss32).toBeLessThan(1e-2);
    expect(loss16).not.toBe(loss32);

    const resume = trainArgs(['--resume', '--out', join(root, 'f16'), '--epochs', '2', '--backend', 'wasm']);
    await expect(train(resume, quiet())).rejects.toThrow(
      `${join(root, 'f16', 'config.json')}: float16 kernels are a webgpu storage format, and this run would train on wasm; use --backend webgpu`,
    );
  });

  it('refuses --float16-kernels on another backend before writing anything', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'inv-f16-')), 'run');
    await expect(train(trainArgs(flags(out, 'wasm', ['--float16-kernels'])), quiet())).rejects.toThrow(
      '--float16-kernels: float16 kernels are a webgpu storage format, and this run would train on wasm; use --backend webgpu',
    );
    expect(existsSync(out)).toBe(false);
  });
});
