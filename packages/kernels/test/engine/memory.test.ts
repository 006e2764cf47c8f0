import { describe, expect, it } from 'vitest';
import { createEngineMemory, sharedMemorySupported } from '../../src/engine/memory.js';

const PAGE = 65536;

/** A deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('createEngineMemory', () => {
  it('makes a shared memory with a 4 GiB maximum in Node, or a plain one', () => {
    expect(sharedMemorySupported()).toBe(true);
    const shared = createEngineMemory({ shared: true });
    expect(shared.shared).toBe(true);
    expect(shared.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const plain = createEngineMemory({ shared: false });
    expect(plain.shared).toBe(false);
    expect(plain.memory.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('hands out 16-byte aligned, disjoint blocks above the reserved bytes, growing the memory', () => {
    const memory = createEngineMemory({ shared: true, initialPages: 1, reservedBytes: 100 });
    const blocks: [number, number][] = [];
    for (const bytes of [0, 1, 15, 16, 17, 1000, 70_000, 3, 200_000]) {
      const address = memory.alloc(bytes);
      expect(address % 16).toBe(0);
      expect(address).toBeGreaterThanOrEqual(112);
      blocks.push([address, Math.max(bytes, 1)]);
    }
    expect(memory.memory.buffer.byteLength).toBeGreaterThan(270_000);
    const sorted = [...blocks].sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![0] + sorted[i - 1]![1]);
    for (const [address, bytes] of sorted)
      expect(address + bytes).toBeLessThanOrEqual(memory.memory.buffer.byteLength);
  });

  it('keeps every live block intact through random alloc/free (patterns survive)', () => {
    const memory = createEngineMemory({ shared: false, initialPages: 1 });
    const next = random(7);
    const live = new Map<number, { words: number; tag: number }>();
    for (let step = 0; step < 3000; step++) {
      if (live.size > 0 && next() < 0.45) {
        const keys = [...live.keys()];
        const address = keys[Math.floor(next() * keys.length)]!;
        const { words, tag } = live.get(address)!;
        expect(memory.i32(address, words).every((v) => v === tag)).toBe(true);
        memory.free(address);
        live.delete(address);
      } else {
        const words = 1 + Math.floor(next() ** 3 * 20_000);
        const address = memory.alloc(words * 4);
        memory.i32(address, words).fill(step);
        live.set(address, { words, tag: step });
      }
    }
    for (const [address, { words, tag }] of live) {
      expect(memory.i32(address, words).every((v) => v === tag)).toBe(true);
    }
  });

  it('does not grow without bound under repeated alloc/free of varying sizes', () => {
    const memory = createEngineMemory({ shared: true, initialPages: 1 });
    const next = random(11);
    let peakLive = 0;
    for (let call = 0; call < 2000; call++) {
      // A kernel call: a few large blocks of varying sizes, freed at the end (in any order).
      const blocks = Array.from(
        { length: 1 + Math.floor(next() * 4) },
        () => 1 + Math.floor(next() * 300_000),
      );
      const addresses = blocks.map((bytes) => memory.alloc(bytes));
      peakLive = Math.max(
        peakLive,
        blocks.reduce((a, b) => a + b, 0),
      );
      if (next() < 0.5) addresses.reverse();
      for (const address of addresses) memory.free(address);
    }
    // At most twice the largest call's live bytes (fragmentation), plus a page of rounding.
    expect(memory.memory.buffer.byteLength).toBeLessThanOrEqual(2 * peakLive + PAGE);
    // Everything coalesced back: the whole memory is one free range again.
    const size = memory.memory.buffer.byteLength;
    const whole = memory.alloc(size - 16);
    expect(whole).toBe(16);
    expect(memory.memory.buffer.byteLength).toBe(size);
  });

  it('reuses freed space before growing', () => {
    const memory = createEngineMemory({ shared: false, initialPages: 1 });
    const a = memory.alloc(40_000);
    memory.alloc(16);
    memory.free(a);
    expect(memory.alloc(30_000)).toBe(a);
    expect(memory.memory.buffer.byteLength).toBe(PAGE);
  });

  it('rejects double frees, unknown addresses and bad sizes with clear errors', () => {
    const memory = createEngineMemory({ shared: false });
    const a = memory.alloc(64);
    memory.free(a);
    expect(() => memory.free(a)).toThrow(`engine memory: free(${a}): already freed (double free)`);
    const b = memory.alloc(64);
    expect(() => memory.free(b + 16)).toThrow(
      `engine memory: free(${b + 16}): not an address returned by alloc`,
    );
    expect(() => memory.free(12345678)).toThrow('not an address returned by alloc');
    expect(() => memory.alloc(-1)).toThrow(
      'engine memory: alloc expects a non-negative integer byte count, got -1',
    );
    expect(() => memory.alloc(1.5)).toThrow('got 1.5');
  });

  it('names the maximum when an allocation cannot fit', () => {
    const memory = createEngineMemory({ shared: false, initialPages: 1, maximumPages: 4 });
    expect(() => memory.alloc(5 * PAGE)).toThrow(
      `engine memory: cannot allocate ${5 * PAGE} bytes: the memory would need 6 pages (1 now), more than its maximum of 4`,
    );
    // Still usable, and a fitting allocation grows it.
    expect(memory.alloc(3 * PAGE)).toBe(16);
    expect(memory.memory.buffer.byteLength).toBe(4 * PAGE);
  });

  it('rejects bad options', () => {
    expect(() => createEngineMemory({ shared: false, initialPages: 0 })).toThrow(
      'engine memory: initialPages must be an integer in [1, 65536], got 0',
    );
    expect(() => createEngineMemory({ shared: false, initialPages: 8, maximumPages: 4 })).toThrow(
      'maximumPages must be an integer in [8, 65536], got 4',
    );
    expect(() => createEngineMemory({ shared: false, initialPages: 1, reservedBytes: PAGE })).toThrow(
      'reservedBytes must be an integer in [0, 65536)',
    );
  });
});
