import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engineWasm } from '../../src/engine/wasm/engine_wasm.js';
import { engineModule, fmaSupported } from '../../src/engine/variant.js';

describe('engine module', () => {
  it('engine_wasm.ts is what engine.wat assembles to', () => {
    const script = fileURLToPath(new URL('../../scripts/assemble-wasm.mjs', import.meta.url));
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('has the plain variants everywhere and picks fma only where it validates', () => {
    expect(WebAssembly.validate(engineWasm.plain)).toBe(true);
    expect(WebAssembly.validate(engineWasm.shared)).toBe(true);
    expect(engineModule({ shared: false }).fma).toBe(fmaSupported());
    expect(engineModule({ shared: true, fma: false }).variant).toBe('shared');
    const exports = WebAssembly.Module.exports(engineModule({ shared: false }).module).map((e) => e.name);
    expect(exports.sort()).toEqual([
      'adamUpdate',
      'addRows',
      'axisSoftmax',
      'axisSoftmaxGrad',
      'convGemm',
      'depthwiseFilter',
      'depthwiseInput',
      'filterGradient',
      'gemm',
      'packPanels',
      'peak',
      'pointwiseFilter',
      'reluRows',
      'sumPartials',
      'thinProduct',
      'winograd',
    ]);
  });

  it('instantiates on a shared memory (the worker pool)', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    expect(
      () => new WebAssembly.Instance(engineModule({ shared: true }).module, { env: { memory } }),
    ).not.toThrow();
  });
});
