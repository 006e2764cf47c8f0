import type { EngineMemory } from './types.js';

const PAGE = 65536;
const ALIGN = 16;
/** The wasm32 limit: 4 GiB. */
const MAX_PAGES = 65536;

/** Options of {@link createEngineMemory}. */
export interface EngineMemoryOptions {
  /** A shared memory (usable by worker threads); requires {@link sharedMemorySupported}. */
  shared: boolean;
  /** Pages (64 KiB) at creation; default 16. */
  initialPages?: number;
  /** Pages the memory may grow to; default 65536 (4 GiB). A module's memory import must allow it. */
  maximumPages?: number;
  /**
   * Bytes at the bottom of the memory the allocator never hands out (e.g. a module's active data segments),
   * rounded up to 16; default 16, so that no allocation is at address 0.
   */
  reservedBytes?: number;
}

/**
 * Whether this realm can create a shared `WebAssembly.Memory` (and post it to workers): Node always,
 * browsers on cross-origin isolated pages only.
 */
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

const roundUp = (n: number, to: number): number => Math.ceil(n / to) * to;

function checkPages(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > MAX_PAGES) {
    throw new Error(`engine memory: ${name} must be an integer in [${min}, ${MAX_PAGES}], got ${value}`);
  }
}

/**
 * A `WebAssembly.Memory` with a first-fit allocator over a free list kept sorted by address, coalescing
 * neighbours on `free`: the memory only grows when no free range fits, by the pages missing above the
 * topmost free range, so repeated alloc/free cycles reuse the same space.
 */
export function createEngineMemory(options: EngineMemoryOptions): EngineMemory {
  const { shared, initialPages = 16, maximumPages = MAX_PAGES, reservedBytes = ALIGN } = options;
  checkPages('initialPages', initialPages, 1);
  checkPages('maximumPages', maximumPages, initialPages);
  if (!Number.isInteger(reservedBytes) || reservedBytes < 0 || reservedBytes >= initialPages * PAGE) {
    throw new Error(
      `engine memory: reservedBytes must be an integer in [0, ${initialPages * PAGE}) (below initialPages), got ${reservedBytes}`,
    );
  }
  if (shared && !sharedMemorySupported()) {
    throw new Error(
      'engine memory: a shared memory needs SharedArrayBuffer (browsers: a cross-origin isolated page)',
    );
  }
  const memory = new WebAssembly.Memory({ initial: initialPages, maximum: maximumPages, shared });
  const base = roundUp(reservedBytes, ALIGN);
  // Free ranges [starts[i], starts[i] + sizes[i]), sorted, never adjacent (they are coalesced).
  const starts: number[] = [base];
  const sizes: number[] = [initialPages * PAGE - base];
  const allocated = new Map<number, number>();

  /** Index of the first free range starting at or above `address`. */
  const firstAtOrAbove = (address: number): number => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  /** Adds [address, address + size) to the free list, merging it with its neighbours. */
  const release = (address: number, size: number): void => {
    const i = firstAtOrAbove(address);
    const joinsPrevious = i > 0 && starts[i - 1]! + sizes[i - 1]! === address;
    const joinsNext = i < starts.length && address + size === starts[i];
    if (joinsPrevious && joinsNext) {
      sizes[i - 1]! += size + sizes[i]!;
      starts.splice(i, 1);
      sizes.splice(i, 1);
    } else if (joinsPrevious) {
      sizes[i - 1]! += size;
    } else if (joinsNext) {
      starts[i] = address;
      sizes[i]! += size;
    } else {
      starts.splice(i, 0, address);
      sizes.splice(i, 0, size);
    }
  };

  /** Grows the memory so that a free range of `size` bytes ends at its top. */
  const grow = (size: number): void => {
    const end = memory.buffer.byteLength;
    const last = starts.length - 1;
    const freeAtTop = last >= 0 && starts[last]! + sizes[last]! === end ? sizes[last]! : 0;
    const pages = Math.ceil((size - freeAtTop) / PAGE);
    const current = end / PAGE;
    if (current + pages > maximumPages) {
      throw new Error(
        `engine memory: cannot allocate ${size} bytes: the memory would need ${current + pages} pages ` +
          `(${current} now), more than its maximum of ${maximumPages}`,
      );
    }
    memory.grow(pages);
    release(end, pages * PAGE);
  };

  return {
    memory,
    shared,
    alloc(bytes) {
      if (!Number.isInteger(bytes) || bytes < 0) {
        throw new Error(`engine memory: alloc expects a non-negative integer byte count, got ${bytes}`);
      }
      const size = roundUp(Math.max(bytes, 1), ALIGN);
      let i = sizes.findIndex((s) => s >= size);
      if (i < 0) {
        grow(size);
        i = starts.length - 1;
      }
      const address = starts[i]!;
      if (sizes[i] === size) {
        starts.splice(i, 1);
        sizes.splice(i, 1);
      } else {
        starts[i] = address + size;
        sizes[i]! -= size;
      }
      allocated.set(address, size);
      return address;
    },
    free(address) {
      const size = allocated.get(address);
      if (size === undefined) {
        const inFree = starts.some((s, i) => address >= s && address < s + sizes[i]!);
        throw new Error(
          `engine memory: free(${address}): ${inFree ? 'already freed (double free)' : 'not an address returned by alloc'}`,
        );
      }
      allocated.delete(address);
      release(address, size);
    },
    f32: (address, length) => new Float32Array(memory.buffer, address, length),
    i32: (address, length) => new Int32Array(memory.buffer, address, length),
  };
}
