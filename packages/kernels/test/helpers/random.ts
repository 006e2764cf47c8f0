/** A seeded generator (mulberry32) of uniform floats in [-1, 1): tests print the seed they used. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}

/** A fresh seed per run (printed by the caller), or SEED from the environment to replay one. */
export function testSeed(): number {
  const fixed = process.env['SEED'];
  return fixed === undefined ? (Math.random() * 2 ** 32) >>> 0 : Number(fixed);
}

export function randomArray(length: number, random: () => number): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = random();
  return out;
}
