import { DataError } from './errors.js';

// Checks of the public functions' arguments at run time (callers from JS, or from parsed JSON, get no help
// from the types): each failure is a BAD_OPTION DataError naming the function, the option, what it got and
// what was expected, never a TypeError from deep inside.

/** A value as an error message shows it: strings quoted, objects by kind, never `[object Object]`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value) && 'length' in value) {
    return `a ${value.constructor.name} of length ${String(value.length)}`;
  }
  if (typeof value === 'object' && value !== null)
    return `an object (${Object.prototype.toString.call(value)})`;
  return typeof value === 'bigint' ? `${value}n` : String(value);
}

export function badOption(where: string, name: string, expected: string, value: unknown): DataError {
  return new DataError('BAD_OPTION', `${where}: ${name} must be ${expected}, got ${describeValue(value)}`);
}

/** The options argument: an object, or undefined for none. */
export function optionsObject<T extends object>(where: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw badOption(where, 'options', 'an object (or left out)', options);
  }
  return options;
}

/** A string option that is absent or non-empty: an empty string is a mistake, never a default in disguise. */
export function optionalString(
  where: string,
  name: string,
  value: unknown,
  what = 'string',
): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0)
    throw badOption(where, name, `a non-empty ${what}`, value);
  return value;
}

export function optionalBoolean(where: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw badOption(where, name, 'true or false', value);
}

export function optionalFunction<F>(where: string, name: string, value: F | undefined): F | undefined {
  if (value === undefined || typeof value === 'function') return value;
  throw badOption(where, name, 'a function', value);
}

export function optionalSignal(where: string, value: unknown): AbortSignal | undefined {
  if (value === undefined || value instanceof AbortSignal) return value;
  throw badOption(where, 'signal', 'an AbortSignal', value);
}

/** A safe integer ≥ `min`. */
export function integer(where: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw badOption(where, name, `an integer ≥ ${min}`, value);
  }
  return value;
}
