import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/index.js';

describe('parseBenchArgs', () => {
  it('leaves the backends to the suite unless named, and resolves --data-dir against the workspace', () => {
    const env = { NX_WORKSPACE_ROOT: '/ws' };
    const defaults = parseBenchArgs([], env);
    expect(defaults.backends).toBeUndefined();
    expect(defaults.maxCaseMs).toBe(10_000);
    expect(parseBenchArgs(['--backend', 'webgpu'], env).backends).toEqual(['webgpu']);
    expect(parseBenchArgs(['--suite', 'data', '--data-dir', 'd'], env).dataDir).toBe('/ws/d');
    expect(() => parseBenchArgs(['--backend', 'gpu'], env)).toThrow(/--backend: unknown \["gpu"\]/);
  });

  it('warms up at least a second unless told otherwise (none in a quick run)', () => {
    expect(parseBenchArgs([], {}).minWarmupMs).toBe(1000);
    expect(parseBenchArgs(['--quick'], {}).minWarmupMs).toBe(0);
    expect(parseBenchArgs(['--min-warmup-seconds', '3'], {}).minWarmupMs).toBe(3000);
    expect(() => parseBenchArgs(['--min-warmup-seconds', '-1'], {})).toThrow(/min-warmup-seconds/);
  });
});
