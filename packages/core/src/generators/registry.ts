import { contextGenerator } from './context.js';
import { globalGenerator } from './global.js';
import { linearGenerator } from './linear.js';
import { reduceExpandGenerator } from './reduce_expand.js';
import type { KernelGeneratorFactory, RegisterKernelGeneratorOptions } from './types.js';

/** The generator an Involution layer uses unless told otherwise: the paper's. */
export const DEFAULT_KERNEL_GENERATOR = 'reduce-expand';

interface Registration {
  factory: KernelGeneratorFactory;
  /** The package that registers it; undefined for built-ins and unnamed providers. */
  provider: string | undefined;
}

const BUILT_INS: [string, KernelGeneratorFactory][] = [
  [DEFAULT_KERNEL_GENERATOR, reduceExpandGenerator],
  ['linear', linearGenerator],
  ['context', contextGenerator],
  ['global', globalGenerator],
];

const registrations = new Map<string, Registration>(
  BUILT_INS.map(([name, factory]) => [name, { factory, provider: undefined }]),
);

/**
 * Generators that used to be built in: models saved before they moved out carry no provider, so the error on
 * loading one still says which package to import.
 */
const FORMER_BUILT_INS = new Map([['softmax', '@inv/generator-attention']]);

/**
 * Makes `factory` available to Involution layers as `generator: { name }`. Register before building or loading
 * a layer that uses it. A plugin package passes its own name as `options.package`: layers save it, so loading
 * such a model without the plugin says which package to import. Re-registering the same factory from the same
 * package is a no-op; anything else under a taken name is an error (it would silently change saved models).
 */
export function registerKernelGenerator(
  name: string,
  factory: KernelGeneratorFactory,
  options: RegisterKernelGeneratorOptions = {},
): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`registerKernelGenerator: name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (typeof factory !== 'function') {
    throw new Error(
      `registerKernelGenerator('${name}'): factory must be a function (context) => generator, got ${typeof factory}`,
    );
  }
  const provider = options.package;
  if (provider !== undefined && (typeof provider !== 'string' || provider.length === 0)) {
    throw new Error(
      `registerKernelGenerator('${name}'): options.package must be a non-empty package name, got ${JSON.stringify(provider)}`,
    );
  }
  const existing = registrations.get(name);
  if (existing !== undefined && (existing.factory !== factory || existing.provider !== provider)) {
    const by = existing.provider === undefined ? '' : ` by ${existing.provider}`;
    throw new Error(
      `registerKernelGenerator: a different generator is already registered${by} as '${name}'; choose another name`,
    );
  }
  registrations.set(name, { factory, provider });
}

/**
 * The factory registered as `name`; an error listing the registered names when there is none, which names the
 * package to import when `provider` (what a saved layer recorded) or a former built-in says which it is.
 */
export function getKernelGenerator(name: string, provider?: string): KernelGeneratorFactory {
  const registration = registrations.get(name);
  if (registration !== undefined) return registration.factory;
  const registered = listKernelGenerators()
    .map((n) => `'${n}'`)
    .join(', ');
  const providedBy = provider ?? FORMER_BUILT_INS.get(name);
  if (providedBy !== undefined) {
    throw new Error(
      `kernel generator '${name}' is not registered: it is provided by ${providedBy}; import that package before loading (registered: ${registered})`,
    );
  }
  throw new Error(
    `unknown kernel generator ${JSON.stringify(name)}; registered: ${registered} (registerKernelGenerator adds one)`,
  );
}

/** The package that registered generator `name`, if it said (what a saved layer records). */
export function kernelGeneratorProvider(name: string): string | undefined {
  return registrations.get(name)?.provider;
}

/** The registered generator names, built-ins first, then in registration order. */
export function listKernelGenerators(): string[] {
  return [...registrations.keys()];
}
