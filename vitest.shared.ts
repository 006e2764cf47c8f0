import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The vitest settings every inv package shares. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs backends are process-global: one test file per forked process keeps them isolated.
    pool: 'forks',
    fileParallelism: false,
    // No VK_ICD_FILENAMES here: initBackend('webgpu') finds a Vulkan driver itself (SwiftShader on CI), as
    // it does for users.
    setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
    // The JSON report feeds the workspace's one-line summary (tools/scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
