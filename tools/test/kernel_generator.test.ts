/** `nx g @inv/tools:kernel-generator` into an empty in-memory Nx workspace: the files and what they say. */
import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import kernelGenerator from '../src/kernel-generator/generator.js';

let tree: Tree;

beforeEach(() => {
  tree = createTreeWithEmptyWorkspace();
  tree.write(
    'packages/core/package.json',
    JSON.stringify({ name: '@inv/core', dependencies: { '@tensorflow/tfjs-core': '9.9.9' } }),
  );
});

describe('kernel-generator', () => {
  it('scaffolds packages/generator-NAME: sources, test, docs and configs', async () => {
    await kernelGenerator(tree, { name: 'my-gen' });
    const root = 'packages/generator-my-gen';
    for (const file of [
      'package.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'vitest.config.ts',
      'typedoc.json',
      'README.md',
      'src/index.ts',
      'src/my_gen.ts',
      'test/my_gen.test.ts',
    ]) {
      expect(tree.exists(`${root}/${file}`), file).toBe(true);
    }
    const manifest = readJson(tree, `${root}/package.json`);
    expect(manifest).toMatchObject({
      name: '@inv/generator-my-gen',
      nx: { name: 'generator-my-gen' },
      dependencies: { '@inv/core': 'workspace:*', '@tensorflow/tfjs-core': '9.9.9' },
      scripts: {
        build: expect.any(String),
        test: 'vitest run',
        lint: expect.any(String),
        typecheck: expect.any(String),
        docs: 'typedoc',
      },
    });
    const index = tree.read(`${root}/src/index.ts`, 'utf-8')!;
    expect(index).toContain(
      'registerKernelGenerator(GENERATOR_NAME, myGenGenerator, { package: PACKAGE_NAME });',
    );
    expect(index).toContain("export const PACKAGE_NAME = '@inv/generator-my-gen';");
    expect(tree.read(`${root}/test/my_gen.test.ts`, 'utf-8')).toContain("from '@inv/core/testing'");
    expect(readJson(tree, `${root}/tsconfig.json`).extends).toBe('../../tsconfig.base.json');
    expect(tree.read(`${root}/vitest.config.ts`, 'utf-8')).toContain("'../../vitest.shared.js'");
    expect(tree.read(`${root}/README.md`, 'utf-8')).toContain("import '@inv/generator-my-gen';");
    // No template placeholder left anywhere.
    for (const change of tree.listChanges())
      expect(change.content?.toString() ?? '', change.path).not.toMatch(/<%|%>|__tmpl__/);
  });

  it('places the package under --directory with config paths relative to its depth', async () => {
    await kernelGenerator(tree, { name: 'x2', directory: 'tools/.tmp' });
    expect(readJson(tree, 'tools/.tmp/generator-x2/tsconfig.build.json').extends).toBe(
      '../../../tsconfig.base.json',
    );
  });

  it('refuses a name that is not kebab-case, and an existing package', async () => {
    await expect(kernelGenerator(tree, { name: 'My_Gen' })).rejects.toThrow(
      "--name 'My_Gen' is not valid; expected kebab-case such as 'my-gen'",
    );
    await kernelGenerator(tree, { name: 'twice' });
    await expect(kernelGenerator(tree, { name: 'twice' })).rejects.toThrow(
      'packages/generator-twice already exists',
    );
  });
});
