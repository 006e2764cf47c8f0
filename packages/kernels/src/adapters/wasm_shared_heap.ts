/**
 * Starts the tfjs 4.22 `wasm` backend (its single-threaded SIMD build) on a shared heap, so that the engine's
 * worker threads work in place on the backend's tensors: no copies into the engine's memory and out, and every
 * kernel on the heap can use every thread. The backend's Emscripten module defines its own memory; while the
 * backend starts, its binary is rewritten to import one instead (`importMemoryShared`: only the memory's
 * declaration changes) and given a shared memory. The Emscripten glue already handles a heap that grows
 * (it re-reads `memory.buffer`), and tfjs copies what it reads out of the heap, so users never see a
 * SharedArrayBuffer. Node only: browsers pick tfjs's own threaded build where memory can be shared.
 *
 * Measured (2 vCPUs, resinv training step, batch 128): see docs/06-engine.md.
 */
import { sharedMemorySupported } from '../engine/memory.js';
import { importMemoryShared, SHARED_MAXIMUM_PAGES } from '../wasm_module/shared_memory.js';

type Instantiate = typeof WebAssembly.instantiate;

const isNode = (): boolean =>
  (globalThis as { process?: NodeJS.Process }).process?.versions?.node !== undefined;

/** The Emscripten module of tfjs's wasm backend: the only one instantiated with these imports. */
function isEmscriptenModule(imports: WebAssembly.Imports | undefined): boolean {
  const env = imports?.['env'];
  return (
    env !== undefined && 'emscripten_resize_heap' in env && imports?.['wasi_snapshot_preview1'] !== undefined
  );
}

/**
 * Runs `start` (which starts the tfjs wasm backend: `tf.setBackend('wasm')`) with the backend's module
 * instantiated on a shared memory, where this runtime can share memory (Node). While `start` runs,
 * `WebAssembly.instantiate` is wrapped; the wrapper changes only the call that instantiates tfjs's Emscripten
 * module, and is removed when `start` settles. A backend started before (or by another route) keeps its
 * private heap: the kernels then run in place on one thread and copy to the threaded engine.
 */
export async function onSharedWasmHeap<T>(start: () => Promise<T>): Promise<T> {
  if (!isNode() || !sharedMemorySupported()) return start();
  const original: Instantiate = WebAssembly.instantiate;
  const wrapper = function (
    this: unknown,
    source: BufferSource | WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ): Promise<unknown> {
    if (source instanceof WebAssembly.Module || !isEmscriptenModule(imports)) {
      return (original as (...args: unknown[]) => Promise<unknown>).call(WebAssembly, source, imports);
    }
    const bytes = ArrayBuffer.isView(source)
      ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength)
      : new Uint8Array(source);
    const rewritten = importMemoryShared(bytes);
    const memory = new WebAssembly.Memory({
      initial: rewritten.initialPages,
      maximum: SHARED_MAXIMUM_PAGES,
      shared: true,
    });
    return original(rewritten.bytes, { ...imports, env: { ...imports!['env'], memory } });
  } as Instantiate;
  WebAssembly.instantiate = wrapper;
  try {
    return await start();
  } finally {
    if (WebAssembly.instantiate === wrapper) WebAssembly.instantiate = original;
  }
}
