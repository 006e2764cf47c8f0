/**
 * `inv train --backend webgpu` as a new user runs it: no VK_ICD_FILENAMES, Dawn on whatever Vulkan driver the
 * machine has (SwiftShader on CI). The run completes, says which driver it found, and prints none of Dawn's
 * native warnings ("vkCreateInstance: Found no drivers!" before initBackend learned to find one).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeLearnableCifar } from './helpers/cifar.js';
import { tinyRunFlags } from './helpers/run.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const hasDriver =
  existsSync('/usr/lib/chromium/vk_swiftshader_icd.json') ||
  ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].some((f) => existsSync(f) && readdirSync(f).length > 0);

describe.runIf(process.platform === 'linux' && hasDriver)('inv train --backend webgpu', () => {
  it('starts without VK_ICD_FILENAMES, names the driver, and prints no Dawn warning', async () => {
    const root = await mkdtemp(join(tmpdir(), 'inv-webgpu-'));
    const dataDir = await mkdtemp(join(tmpdir(), 'inv-cifar-'));
    await writeLearnableCifar(dataDir);
    const flags = tinyRunFlags(dataDir, join(root, 'run'));
    flags[flags.indexOf('--backend') + 1] = 'webgpu';
    flags[flags.indexOf('--epochs') + 1] = '1';
    const env = { ...process.env };
    delete env['VK_ICD_FILENAMES'];
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (resolve) =>
        execFile(process.execPath, [CLI, 'train', ...flags], { env, timeout: 300_000 }, (error, out, err) =>
          resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout: out, stderr: err }),
        ),
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^backend: webgpu \(Vulkan driver: .+\)$/m);
    expect(stderr).not.toMatch(/vkCreateInstance|Warning:/);
    expect(existsSync(join(root, 'run', 'metrics.json'))).toBe(true);
  });
});
