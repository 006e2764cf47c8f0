/** Value parsers for flags: each bad value is an error naming the flag, the value and what was expected. */

export function oneOf<T extends string>(flag: string, value: string, valid: readonly T[]): T {
  if (!(valid as readonly string[]).includes(value)) {
    throw new Error(`--${flag} '${value}' is not valid; expected one of: ${valid.join(', ')}`);
  }
  return value as T;
}

function invalid(flag: string, value: string, expected: string): Error {
  return new Error(`--${flag} '${value}' is not valid; expected ${expected}`);
}

/** An integer in [min, max]; the empty string (`--seed=`) is an error, not 0. */
export function integer(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(
      flag,
      value,
      max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`,
    );
  }
  return n;
}

/** A finite number > 0. */
export function positive(flag: string, value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw invalid(flag, value, 'a positive number');
  return n;
}

/** A finite number in [min, below): `--momentum` in [0, 1), `--weight-decay` from 0 up. */
export function numberIn(flag: string, value: string, min: number, below = Infinity): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < min || n >= below)
    throw invalid(flag, value, below === Infinity ? `a number >= ${min}` : `a number in [${min}, ${below})`);
  return n;
}

/** A non-empty string (`--out=` is an error rather than the current folder). */
export function nonEmpty(flag: string, value: string): string {
  if (value === '') throw new Error(`--${flag} needs a value`);
  return value;
}
