import type { EngineMemory } from './types.js';

/**
 * The allocations of one driver call, freed together in reverse order (the serial engine's bump allocator
 * gives space back only from the top).
 */
export class Allocations {
  private readonly addresses: number[] = [];

  constructor(private readonly memory: EngineMemory) {}

  /** `floats` float32s (16-byte aligned). */
  floats(floats: number): number {
    const address = this.memory.alloc(floats * 4);
    this.addresses.push(address);
    return address;
  }

  /** An argument block holding `words` as i32s (addresses above 2³¹ wrap to negative i32, as wasm reads them). */
  args(words: readonly number[]): number {
    const address = this.floats(words.length);
    this.memory.i32(address, words.length).set(words);
    return address;
  }

  free(): void {
    for (let i = this.addresses.length - 1; i >= 0; i--) this.memory.free(this.addresses[i]!);
    this.addresses.length = 0;
  }
}
