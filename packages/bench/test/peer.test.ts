import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  findTorchInterpreter,
  PEER_BACKEND,
  PEER_IMPL,
  runTorchPeer,
  type InvolutionShape,
} from '../src/index.js';

const tiny: InvolutionShape = {
  name: 'tiny',
  batch: 1,
  height: 4,
  width: 4,
  channels: 4,
  kernelSize: 3,
  groups: 2,
};

/** A stand-in interpreter that behaves like a Python without torch. */
function pythonWithoutTorch(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'inv-bench-')), 'python3');
  writeFileSync(path, '#!/bin/sh\necho "ModuleNotFoundError: No module named \'torch\'" >&2\nexit 1\n');
  chmodSync(path, 0o755);
  return path;
}

describe('PyTorch peer without torch', () => {
  it('names every interpreter it tried and why each failed', async () => {
    const fake = pythonWithoutTorch();
    const found = await findTorchInterpreter(['/nonexistent/python3', fake]);
    expect(found).toEqual({
      reason: `no Python with torch (tried /nonexistent/python3: not found; ${fake}: ModuleNotFoundError: No module named 'torch')`,
    });
  });

  it('gives a "peer unavailable: reason" row per shape and mode, and no environment', async () => {
    const run = await runTorchPeer('op', [tiny], {
      warmup: 0,
      repeats: 1,
      modes: ['forward', 'forward+backward'],
      interpreters: [pythonWithoutTorch()],
    });
    expect(run.environment).toBeNull();
    expect(run.results).toHaveLength(2);
    for (const row of run.results) {
      expect(row).toMatchObject({
        suite: 'op',
        case: 'tiny',
        impl: PEER_IMPL,
        backend: PEER_BACKEND,
        status: 'unavailable',
      });
      expect(row.status === 'unavailable' && row.reason).toMatch(
        /^peer unavailable: no Python with torch \(tried .*No module named 'torch'\)$/,
      );
    }
  });
});

describe('PyTorch peer with torch', async () => {
  const found = await findTorchInterpreter();
  it.skipIf('reason' in found)(
    'runs the unfold involution and returns one measured row per mode',
    async () => {
      const run = await runTorchPeer('op', [tiny], {
        warmup: 0,
        minWarmupMs: 20,
        repeats: 2,
        modes: ['forward', 'forward+backward'],
      });
      expect(run.environment).toMatchObject({ threads: 2 });
      expect(run.results.map((r) => [r.mode, r.status])).toEqual([
        ['forward', 'ok'],
        ['forward+backward', 'ok'],
      ]);
      for (const row of run.results) if (row.status === 'ok') expect(row.timing.samplesMs).toHaveLength(2);
    },
  );
});
