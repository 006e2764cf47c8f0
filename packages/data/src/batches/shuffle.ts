import { integer } from '../check.js';
import { mulberry32 } from './prng.js';

/** The indices 0..n-1 in a seeded random order (Fisher–Yates): the same seed gives the same order everywhere. */
export function shuffledIndices(n: number, seed: number): Uint32Array {
  integer('shuffledIndices', 'n', n, 0);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i]!;
    order[i] = order[j]!;
    order[j] = swap;
  }
  return order;
}
