/**
 * The binary rewrites that let a module's memory be shared (`src/wasm_module/shared_memory.ts`), on small
 * modules assembled here: the rewritten module keeps its code, data and exports, and takes a shared memory
 * that another instance (another thread) then works on.
 */
import wabt from 'wabt';
import { describe, expect, it } from 'vitest';
import {
  importMemoryShared,
  shareImportedMemory,
  SHARED_MAXIMUM_PAGES,
} from '../src/wasm_module/shared_memory.js';

const toolkit = await wabt();
const assemble = (text: string): Uint8Array<ArrayBuffer> => {
  const module = toolkit.parseWat('test.wat', text, { threads: true });
  const { buffer } = module.toBinary({});
  module.destroy();
  return new Uint8Array(buffer);
};

// Defines a 2-page memory with a data segment at 1000, imports a function (so the import section exists).
const DEFINES = `(module
  (import "env" "log" (func $log (param i32)))
  (memory (export "memory") 2)
  (data (i32.const 1000) "\\2a\\00\\00\\00")
  (func (export "read") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "write") (param i32 i32) (i32.store (local.get 0) (local.get 1))))`;

// The same without imports: the rewrite must create the import section.
const DEFINES_NO_IMPORTS = DEFINES.replace('(import "env" "log" (func $log (param i32)))', '');

const IMPORTS = `(module
  (import "env" "log" (func $log (param i32)))
  (import "env" "memory" (memory 1))
  (func (export "read") (param i32) (result i32) (i32.load (local.get 0)))
  (func (export "write") (param i32 i32) (i32.store (local.get 0) (local.get 1))))`;

interface Exports {
  read(address: number): number;
  write(address: number, value: number): void;
  memory?: WebAssembly.Memory;
}

const log = (): void => undefined;

describe('importMemoryShared', () => {
  for (const [name, text] of [
    ['with an import section', DEFINES],
    ['without one', DEFINES_NO_IMPORTS],
  ] as const) {
    it(`turns a defined memory into a shared env.memory import, keeping data and exports (${name})`, () => {
      const { bytes, initialPages } = importMemoryShared(assemble(text));
      expect(initialPages).toBe(2);
      const module = new WebAssembly.Module(bytes);
      const memoryImport = WebAssembly.Module.imports(module).find((i) => i.kind === 'memory');
      expect(memoryImport).toMatchObject({ module: 'env', name: 'memory' });
      const memory = new WebAssembly.Memory({ initial: 2, maximum: SHARED_MAXIMUM_PAGES, shared: true });
      const first = new WebAssembly.Instance(module, { env: { log, memory } }).exports as unknown as Exports;
      expect(first.memory).toBe(memory);
      expect(memory.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(first.read(1000)).toBe(42);
      // A second instance on the same memory (as a worker thread's) sees the first one's writes.
      first.write(4096, 7);
      const twin = new WebAssembly.Instance(module, { env: { log, memory } }).exports as unknown as Exports;
      expect(twin.read(4096)).toBe(7);
    });
  }

  it('refuses a module without a memory of its own, and bytes that are not a module', () => {
    expect(() => importMemoryShared(assemble(IMPORTS))).toThrow(/defines exactly one memory/);
    expect(() => importMemoryShared(new Uint8Array([1, 2, 3]))).toThrow(/not a WebAssembly version 1 module/);
  });
});

describe('shareImportedMemory', () => {
  it('makes a module that imports a private memory take a shared one instead', () => {
    const bytes = assemble(IMPORTS);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAXIMUM_PAGES, shared: true });
    expect(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { log, memory } })).toThrow(
      WebAssembly.LinkError,
    );
    const shared = shareImportedMemory(bytes);
    const a = new WebAssembly.Instance(new WebAssembly.Module(shared), { env: { log, memory } })
      .exports as unknown as Exports;
    const b = new WebAssembly.Instance(new WebAssembly.Module(shared), { env: { log, memory } })
      .exports as unknown as Exports;
    a.write(64, 1234);
    expect(b.read(64)).toBe(1234);
    // Already shared: unchanged.
    expect(shareImportedMemory(shared)).toEqual(shared);
  });

  it('refuses a module that imports no memory', () => {
    expect(() => shareImportedMemory(assemble(DEFINES))).toThrow(/imports a memory/);
  });
});
