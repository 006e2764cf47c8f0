/**
 * Seeds of random test inputs: every run draws a fresh seed (inputs stay fresh, as the rules ask) unless
 * `INV_TEST_SEED` names one; each test draws from its own stream (the seed mixed with its name), and a failing
 * test prints the seed, so any failure replays exactly, with its file or alone (`vitest -t`).
 */

/** `INV_TEST_SEED` when set (a failure's seed, to replay it), else a fresh 32-bit seed. */
export function testSeed(env: Record<string, string | undefined> = globalThis.process?.env ?? {}): number {
  const fixed = env['INV_TEST_SEED'];
  if (fixed === undefined || fixed === '') return (Math.random() * 2 ** 32) >>> 0;
  const seed = Number(fixed);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new Error(`INV_TEST_SEED must be an integer in [0, 2^32), got ${JSON.stringify(fixed)}`);
  }
  return seed;
}

/** The part of a test runner's `beforeEach` (vitest's) that per-test streams need. */
export type BeforeEachHook = (
  hook: (context: { task: { name: string }; onTestFailed(handler: () => void): void }) => void,
) => void;

/** A test's own seed: the file's mixed with the test's name (FNV-1a), the same whether it runs alone or not. */
function testStreamSeed(fileSeed: number, testName: string): number {
  let hash = (fileSeed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < testName.length; i++) hash = Math.imul(hash ^ testName.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * One test file's seeded streams, whatever a stream is (`makeStream` builds one from a seed): `current()` is
 * the running test's own, or outside a test the file's. A failing test prints the command that replays it.
 * Call it at the top of the file, passing the runner's `beforeEach` (this module imports no test runner).
 */
export function useSeededStreams<Stream>(
  file: string,
  beforeEach: BeforeEachHook,
  makeStream: (seed: number) => Stream,
): { seed: number; current: () => Stream } {
  const seed = testSeed();
  let stream = makeStream(seed);
  beforeEach(({ task, onTestFailed }) => {
    stream = makeStream(testStreamSeed(seed, task.name));
    onTestFailed(() => {
      console.error(
        `[inv tests] ${file} ran with seed ${seed}: INV_TEST_SEED=${seed} replays it, ` +
          `alone too (vitest -t ${JSON.stringify(task.name)})`,
      );
    });
  });
  return { seed, current: () => stream };
}
