/**
 * The GPU comparison's CuPy kernels (tools/peer/involution_cupy.py, the official involution kernel's algorithm)
 * run nowhere in CI: no GPU. Their CUDA source compiled as C and looped over the thread index on the CPU
 * (involution_cupy_cpu_check.py) is checked here: the forward pass against the definition in float64, the
 * gradients through the adjoint identities. A wrong index in any kernel moves these by order 1.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../peer/involution_cupy_cpu_check.py', import.meta.url));

const has = (command: string, args: string[]): boolean => {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const available = has('gcc', ['--version']) && has('python3', ['-c', 'import numpy']);

interface CheckLine {
  seed: number;
  shape: Record<string, number>;
  forwardMaxError: number;
  forwardScale: number;
  inputGradientGap: number;
  kernelGradientGap: number;
}

describe.runIf(available)('the CuPy involution kernels, run as C', () => {
  it('match the definition (forward) and the adjoint identities (both gradients)', () => {
    const seed = Math.floor(Math.random() * 2 ** 31);
    console.log(`involution_cupy_cpu_check seed ${seed}`);
    const lines = execFileSync('python3', [SCRIPT, '--seed', String(seed)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as CheckLine);
    expect(lines.length).toBe(4);
    for (const line of lines) {
      const { K = 0, C = 0, G = 1 } = line.shape;
      // float32 sums of K² products (forward) or up to K²·C/G (the gradients' inner products): a few ulps each.
      expect(line.forwardMaxError, JSON.stringify(line)).toBeLessThan(K * K * 2 ** -23 * line.forwardScale);
      expect(line.inputGradientGap, JSON.stringify(line)).toBeLessThan(1e-5);
      expect(line.kernelGradientGap, JSON.stringify(line)).toBeLessThan(1e-5 * Math.max(1, C / G));
    }
  });
});
