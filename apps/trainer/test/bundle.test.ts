/**
 * The portable bundle (`scripts/bundle.mjs`, `pnpm nx run trainer:bundle`) as it would be used on a bare GPU
 * machine: built, copied to an empty folder and run from there with a PATH that holds a shell and a few
 * tools but no Node, pnpm or project files, and no environment but HOME and PATH. `summary` prints what the
 * workspace's own CLI prints, a one-epoch tiny run trains on webgpu (SwiftShader here), and a quick bench
 * writes its report.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeLearnableCifar } from './helpers/cifar.js';

const SCRIPT = fileURLToPath(new URL('../scripts/bundle.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** What the launcher uses, and nothing else: no node. */
const TOOLS = ['sh', 'dirname', 'basename', 'chmod', 'mv', 'rm', 'grep', 'xz', 'ldconfig'];

const which = (tool: string): string | undefined =>
  ['/usr/bin', '/bin', '/usr/sbin', '/sbin'].map((d) => join(d, tool)).find((p) => existsSync(p));
const hasDriver =
  existsSync('/usr/lib/chromium/vk_swiftshader_icd.json') ||
  ['/usr/share/vulkan/icd.d', '/etc/vulkan/icd.d'].some((f) => existsSync(f) && readdirSync(f).length > 0);

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((total, entry) => {
    const path = join(dir, entry.name);
    return total + (entry.isDirectory() ? folderBytes(path) : statSync(path).size);
  }, 0);
}

let bundle = '';
let env: NodeJS.ProcessEnv = {};
let work = '';

const run = (command: string, args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(join(bundle, command), args, { env, cwd: work, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
    ),
  );

describe.runIf(process.platform === 'linux' && process.arch === 'x64' && TOOLS.every(which))(
  'the portable bundle',
  () => {
    beforeAll(async () => {
      const root = await mkdtemp(join(tmpdir(), 'inv-bundle-'));
      execFileSync(process.execPath, [SCRIPT, '--out', join(root, 'built')], { stdio: 'pipe' });
      // An empty folder elsewhere: nothing of the workspace is reachable from it.
      work = join(root, 'elsewhere');
      bundle = join(work, 'inv-bundle');
      cpSync(join(root, 'built'), bundle, { recursive: true });
      const bin = join(root, 'bin');
      mkdirSync(bin);
      for (const tool of TOOLS) symlinkSync(which(tool)!, join(bin, tool));
      env = { HOME: root, PATH: bin };
    }, 600_000);

    it('is under 60 MiB and carries Node, Dawn and the Vulkan loader', () => {
      expect(folderBytes(bundle)).toBeLessThan(60 * 2 ** 20);
      for (const file of [
        'node/node.xz',
        'lib/node_modules/webgpu/dist/linux-x64/dawn.node.xz',
        'inv',
        'inv-bench',
      ]) {
        expect(existsSync(join(bundle, file)), file).toBe(true);
      }
    });

    it('prints the same summary as the workspace CLI, on its own Node', async () => {
      const { code, stdout, stderr } = await run('inv', ['summary', '--model', 'seed-inv']);
      expect(code, stderr).toBe(0);
      expect(stdout).toBe(
        execFileSync(process.execPath, [CLI, 'summary', '--model', 'seed-inv'], { encoding: 'utf8' }),
      );
      // First use unpacked the bundle's Node: PATH has none to fall back on.
      expect(existsSync(join(bundle, 'node/node'))).toBe(true);
    }, 120_000);

    it.runIf(hasDriver)(
      'trains one tiny epoch on webgpu',
      async () => {
        const data = join(work, 'cifar');
        mkdirSync(data);
        await writeLearnableCifar(data);
        const flags = ['--model', 'seed-inv', '--epochs', '1', '--batch-size', '32', '--limit', '64'];
        const { code, stdout, stderr } = await run('inv', [
          'train',
          ...flags,
          '--backend',
          'webgpu',
          '--data-dir',
          data,
          '--out',
          join(work, 'run'),
        ]);
        expect(code, stderr).toBe(0);
        expect(stdout).toMatch(/^backend: webgpu \(Vulkan driver: .+\)$/m);
        const metrics = JSON.parse(readFileSync(join(work, 'run', 'metrics.json'), 'utf8')) as {
          status: string;
          backend: string;
          epochs: number;
          test_loss: number;
        };
        expect(metrics).toMatchObject({ status: 'completed', backend: 'webgpu', epochs: 1 });
        expect(Number.isFinite(metrics.test_loss)).toBe(true);
      },
      300_000,
    );

    it('runs a quick bench and writes its report', async () => {
      const report = join(work, 'op.json');
      const args = ['--suite', 'op', '--quick', '--backend', 'wasm', '--no-peer', '--json', report];
      const { code, stderr } = await run('inv-bench', args);
      expect(code, stderr).toBe(0);
      const { results } = JSON.parse(readFileSync(report, 'utf8')) as {
        results: { impl: string; status: string; backend: string }[];
      };
      const fused = results.filter((r) => r.impl === 'fused');
      expect(fused.length).toBeGreaterThan(0);
      expect(fused.every((r) => r.status === 'ok' && r.backend === 'wasm')).toBe(true);
    }, 300_000);
  },
);
