import { contextGenerator } from './context.js';
import { globalGenerator } from './global.js';
import { linearGenerator } from './linear.js';
import { reduceExpandGenerator } from './reduce_expand.js';
import { softmaxGenerator } from './softmax.js';
import type { KernelGeneratorFactory } from './types.js';

/** The generator an Involution layer uses unless told otherwise: the paper's. */
export const DEFAULT_KERNEL_GENERATOR = 'reduce-expand';

const factories = new Map<string, KernelGeneratorFactory>([
  [DEFAULT_KERNEL_GENERATOR, reduceExpandGenerator],
  ['linear', linearGenerator],
  ['softmax', softmaxGenerator],
  ['context', contextGenerator],
  ['global', globalGenerator],
]);

/**
 * Makes `factory` available to Involution layers as `generator: { name }`. Register before building or loading
 * a layer that uses it. Re-registering the same factory is a no-op; another factory under a taken name is an
 * error (it would silently change saved models).
 */
export function registerKernelGenerator(name: string, factory: KernelGeneratorFactory): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`registerKernelGenerator: name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (typeof factory !== 'function') {
    throw new Error(`registerKernelGenerator('${name}'): factory must be a function (context) => generator, got ${typeof factory}`);
  }
  const existing = factories.get(name);
  if (existing !== undefined && existing !== factory) {
    throw new Error(`registerKernelGenerator: a different generator is already registered as '${name}'; choose another name`);
  }
  factories.set(name, factory);
}

/** The factory registered as `name`; an error listing the registered names when there is none. */
export function getKernelGenerator(name: string): KernelGeneratorFactory {
  const factory = factories.get(name);
  if (factory === undefined) {
    const registered = listKernelGenerators().map((n) => `'${n}'`).join(', ');
    throw new Error(`unknown kernel generator ${JSON.stringify(name)}; registered: ${registered} (registerKernelGenerator adds one)`);
  }
  return factory;
}

/** The registered generator names, built-ins first, then in registration order. */
export function listKernelGenerators(): string[] {
  return [...factories.keys()];
}
