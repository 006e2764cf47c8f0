import { beforeEach } from 'vitest';
import { mulberry32, type Random } from '../../src/index.js';

/** `INV_TEST_SEED` when set (a failure's seed, to replay it), else a fresh 32-bit seed. */
function testSeed(): number {
  const fixed = process.env['INV_TEST_SEED'];
  if (fixed === undefined || fixed === '') return (Math.random() * 2 ** 32) >>> 0;
  const seed = Number(fixed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new Error(`INV_TEST_SEED must be an integer in [0, 2^32), got ${JSON.stringify(fixed)}`);
  }
  return seed;
}

/**
 * The seeded random stream of one test file: a fresh seed per run (or `INV_TEST_SEED`), printed with the
 * command that replays it when a test of the file fails.
 */
export function useTestSeed(file: string): Random {
  const seed = testSeed();
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      console.error(`[inv tests] ${file} ran with seed ${seed}: INV_TEST_SEED=${seed} replays it`);
    });
  });
  return mulberry32(seed);
}
