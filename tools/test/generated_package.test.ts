/**
 * The scaffold builds and passes its own tests straight away: generated for real into a temporary directory
 * inside this workspace (outside the pnpm/Nx project globs, so no other task sees it), typechecked, linted,
 * compiled and tested as the workspace does, then removed.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { FsTree, flushChanges } from 'nx/src/generators/tree.js';
import { afterAll, describe, expect, it } from 'vitest';
import { kernelGeneratorGenerator } from '../src/kernel-generator/generator.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const workspaceRoot = resolve(import.meta.dirname, '..', '..');
// Under tools/, so the scaffold resolves @inv/core and tfjs through tools' own dev dependencies.
const parent = join(workspaceRoot, 'tools', '.tmp', `kernel-generator-${process.pid}`);
const tsc = require.resolve('typescript/bin/tsc');
const vitest = join(require.resolve('vitest/package.json'), '..', 'vitest.mjs');
const eslint = join(require.resolve('eslint/package.json'), '..', 'bin', 'eslint.js');

afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

describe('a scaffolded kernel-generator package', () => {
  it('typechecks, lints, builds and passes its tests', async () => {
    await mkdir(parent, { recursive: true });
    const tree = new FsTree(workspaceRoot, false);
    const projectRoot = await kernelGeneratorGenerator(tree, {
      name: 'smoke-test',
      directory: join('tools', '.tmp', `kernel-generator-${process.pid}`),
    });
    flushChanges(workspaceRoot, tree.listChanges());
    const cwd = join(workspaceRoot, projectRoot);
    await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], { cwd });
    await run(process.execPath, [eslint, 'src', 'test'], { cwd });
    await run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd });
    await run(process.execPath, [vitest, 'run'], { cwd });
    // The shared vitest config's JSON report: every test of the scaffold ran and passed.
    const report = JSON.parse(await readFile(join(cwd, 'test-results.json'), 'utf8')) as {
      numTotalTests: number;
      numPassedTests: number;
    };
    expect(report).toMatchObject({ numTotalTests: 3, numPassedTests: 3 });
  });
});
