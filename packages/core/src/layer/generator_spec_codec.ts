import type { KernelGeneratorSpec } from '../generators/types.js';

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

/** The generator spec as a string that survives tfjs-layers' save/load case conversions. */
export function encodeGeneratorSpec(spec: Required<KernelGeneratorSpec>): string {
  // Any character toLowerCase changes (not only A–Z), '_' and '%' itself.
  return JSON.stringify(spec).replace(/[\s\S]/gu, (c) => (c === '_' || c === '%' || c !== c.toLowerCase() ? percentEscape(c) : c));
}

/** Reads what {@link encodeGeneratorSpec} wrote; a spec given as an object or a bare name passes through. */
export function decodeGeneratorSpec(value: unknown, where: string): string | KernelGeneratorSpec | undefined {
  if (typeof value !== 'string' || !value.startsWith('{')) return value as string | KernelGeneratorSpec | undefined;
  try {
    return JSON.parse(decodeURIComponent(value)) as KernelGeneratorSpec;
  } catch (error) {
    throw new Error(`${where}: cannot read the saved generator spec ${JSON.stringify(value)}: ${(error as Error).message}`);
  }
}
