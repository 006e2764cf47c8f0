import { getKernelGenerator, kernelGeneratorProvider } from '../generators/registry.js';
import type { KernelGeneratorConfig, KernelGeneratorSpec } from '../generators/types.js';

/*
 * tfjs-layers saves a model with every config string snake_cased and every key too, and loads it camelCasing
 * both (`convertTsToPythonic` / `convertPythonicToTs`): a generator named 'myGen' or 'my_gen', or a config key
 * 'hidden_units', would not come back as it went in. So the layer saves its generator spec as JSON in which
 * the characters those conversions touch (upper case, '_') and the escape itself ('%') are percent-escaped: a
 * string both conversions leave as it is, readable for the usual lower-case names.
 */

/** `%xx` per UTF-8 byte, lower-case hex: what decodeURIComponent reads back. */
function percentEscape(c: string): string {
  return Array.from(new TextEncoder().encode(c), (byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
}

/**
 * The generator spec as a string that survives tfjs-layers' save/load case conversions, with the package that
 * registered the generator (if it said) so that loading without it can name what to import.
 */
export function encodeGeneratorSpec(spec: { name: string; config: KernelGeneratorConfig }): string {
  const provider = kernelGeneratorProvider(spec.name);
  const saved: KernelGeneratorSpec = provider === undefined ? spec : { ...spec, package: provider };
  // Any character toLowerCase changes (not only A–Z), '_' and '%' itself.
  return JSON.stringify(saved).replace(/[\s\S]/gu, (c) =>
    c === '_' || c === '%' || c !== c.toLowerCase() ? percentEscape(c) : c,
  );
}

/**
 * Reads what {@link encodeGeneratorSpec} wrote; a spec given as an object or a bare name passes through. An
 * unregistered generator is an error here, while the saved provider is at hand to name the package to import.
 */
export function decodeGeneratorSpec(value: unknown, where: string): string | KernelGeneratorSpec | undefined {
  if (typeof value !== 'string' || !value.startsWith('{'))
    return value as string | KernelGeneratorSpec | undefined;
  let spec: KernelGeneratorSpec;
  try {
    spec = JSON.parse(decodeURIComponent(value)) as KernelGeneratorSpec;
  } catch (error) {
    throw new Error(
      `${where}: cannot read the saved generator spec ${JSON.stringify(value)}: ${(error as Error).message}`,
    );
  }
  try {
    getKernelGenerator(spec.name, spec.package);
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}`);
  }
  return spec;
}
