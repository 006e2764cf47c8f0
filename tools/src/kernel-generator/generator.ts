import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  generateFiles,
  installPackagesTask,
  joinPathFragments,
  names,
  offsetFromRoot,
  readJson,
  type Tree,
} from '@nx/devkit';
import type { KernelGeneratorSchema } from './schema.js';

/** The templates live outside src and dist, so the same path works from both. */
const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'files', 'kernel-generator');

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The versions the plugin shares with @inv/core: one tfjs in the workspace, so one kernel registry. */
function coreVersions(tree: Tree): { tfjs: string } {
  const core = readJson<{ dependencies?: Record<string, string> }>(tree, 'packages/core/package.json');
  const tfjs = core.dependencies?.['@tensorflow/tfjs-core'];
  if (tfjs === undefined)
    throw new Error(
      'kernel-generator: packages/core/package.json has no @tensorflow/tfjs-core dependency to match',
    );
  return { tfjs };
}

/**
 * Scaffolds `<directory>/generator-<name>`: a package that registers kernel generator `<name>` with @inv/core
 * on import (recording itself as the provider), with a test against the float64 involution reference, a README
 * and package/tsconfig/vitest/typedoc configs like the workspace's other packages. Returns the root it wrote.
 */
export async function kernelGeneratorGenerator(tree: Tree, schema: KernelGeneratorSchema): Promise<string> {
  if (!KEBAB_CASE.test(schema.name)) {
    throw new Error(
      `kernel-generator: --name '${schema.name}' is not valid; expected kebab-case such as 'my-gen'`,
    );
  }
  const projectRoot = joinPathFragments(schema.directory ?? 'packages', `generator-${schema.name}`);
  if (tree.exists(projectRoot)) {
    throw new Error(`kernel-generator: ${projectRoot} already exists; choose another --name or remove it`);
  }
  generateFiles(tree, TEMPLATES, projectRoot, {
    name: schema.name,
    propertyName: names(schema.name).propertyName,
    // Module files are snake_case in this workspace (reduce_expand.ts).
    moduleName: schema.name.replaceAll('-', '_'),
    packageName: `@inv/generator-${schema.name}`,
    projectName: `generator-${schema.name}`,
    offset: offsetFromRoot(projectRoot),
    ...coreVersions(tree),
    tmpl: '',
  });
  return projectRoot;
}

/** The Nx entry point: writes the files, then links the new package with `pnpm install`. */
export default async function (tree: Tree, schema: KernelGeneratorSchema): Promise<() => void> {
  const projectRoot = await kernelGeneratorGenerator(tree, schema);
  return () => {
    installPackagesTask(tree, true);
    console.log(
      `${projectRoot}: build and test it with \`pnpm nx run-many -t build,test -p generator-${schema.name}\``,
    );
  };
}
