import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Dawn (npm `webgpu`) needs a Vulkan driver; without a GPU, Chromium's SwiftShader is the one we install.
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const vulkanEnv: Record<string, string> =
  process.env['VK_ICD_FILENAMES'] === undefined && existsSync(swiftshader)
    ? { VK_ICD_FILENAMES: swiftshader }
    : {};

/** The vitest settings every inv package shares. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // tfjs backends are process-global: one test file per forked process keeps them isolated.
    pool: 'forks',
    fileParallelism: false,
    env: vulkanEnv,
    setupFiles: [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))],
    // The JSON report feeds the workspace's one-line summary (tools/scripts/test-summary.mjs).
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
