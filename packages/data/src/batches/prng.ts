import { badOption, integer } from '../check.js';

/** A seeded generator of floats uniform in [0, 1). */
export type Random = () => number;

/**
 * Mulberry32 (Tommy Ettinger, public domain): 32-bit state, one multiply-xorshift round per draw. Small, fast,
 * identical in every JS engine, and good enough for shuffles and augmentation choices (not for cryptography).
 */
export function mulberry32(seed: number): Random {
  // An integer in [-2³¹, 2³²): both int32 and uint32 seeds, each a distinct state.
  let state = integer('mulberry32', 'seed', seed, -(2 ** 31)) >>> 0;
  if (seed >= 2 ** 32) throw badOption('mulberry32', 'seed', 'an integer in [-2^31, 2^32)', seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed for one independent stream (e.g. epoch 3's shuffle, batch 17's augmentation) derived from a user seed:
 * the murmur3 finaliser over the parts, so neighbouring inputs give unrelated streams.
 */
export function deriveSeed(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
