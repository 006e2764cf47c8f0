/**
 * Rewrites of a WebAssembly binary's one memory so that it can be shared between threads: a module instantiated
 * on a shared memory can be instantiated on the same memory in worker threads, which then work in place on
 * what the first instance holds. Only the memory's declaration changes; code, data and function indices do not
 * (a memory import shifts no index space but memories', and there is one memory before and after).
 */

/** The wasm32 limit, 4 GiB, in 64 KiB pages: the maximum a shared memory declares here. */
export const SHARED_MAXIMUM_PAGES = 65536;

const MAGIC_AND_VERSION = 8;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const IMPORT_MEMORY = 0x02;
const LIMITS_HAS_MAXIMUM = 0x01;
const LIMITS_SHARED = 0x02;

interface Section {
  id: number;
  /** Where its id byte is. */
  header: number;
  /** Byte range of its contents (after the id and size). */
  start: number;
  end: number;
}

function readU32(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let byte: number;
  let next = at;
  do {
    if (next >= bytes.length || shift > 28) throw new Error(`wasm binary: bad LEB128 integer at byte ${at}`);
    byte = bytes[next++]!;
    value |= (byte & 0x7f) << shift;
    shift += 7;
  } while (byte & 0x80);
  return { value: value >>> 0, next };
}

function u32(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

const utf8 = (text: string): number[] => {
  const bytes = new TextEncoder().encode(text);
  return [...u32(bytes.length), ...bytes];
};

function sections(bytes: Uint8Array): Section[] {
  const magic = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  if (bytes.length < MAGIC_AND_VERSION || magic.some((b, i) => bytes[i] !== b)) {
    throw new Error('wasm binary: not a WebAssembly version 1 module (bad magic or version)');
  }
  const found: Section[] = [];
  let at = MAGIC_AND_VERSION;
  while (at < bytes.length) {
    const id = bytes[at]!;
    const { value: size, next } = readU32(bytes, at + 1);
    if (next + size > bytes.length) throw new Error(`wasm binary: section ${id} runs past the end`);
    found.push({ id, header: at, start: next, end: next + size });
    at = next + size;
  }
  return found;
}

/** Limits of a shared memory of `initial` pages: flags, minimum, maximum. */
const sharedLimits = (initial: number): number[] => [
  LIMITS_HAS_MAXIMUM | LIMITS_SHARED,
  ...u32(initial),
  ...u32(SHARED_MAXIMUM_PAGES),
];

/** Reads limits at `at`: flags, minimum, and where they end. */
function readLimits(bytes: Uint8Array, at: number): { flags: number; initial: number; end: number } {
  const flags = bytes[at]!;
  const initial = readU32(bytes, at + 1);
  const end = flags & LIMITS_HAS_MAXIMUM ? readU32(bytes, initial.next).next : initial.next;
  return { flags, initial: initial.value, end };
}

function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const sectionBytes = (id: number, contents: readonly Uint8Array[]): Uint8Array[] => [
  new Uint8Array([id, ...u32(contents.reduce((n, p) => n + p.length, 0))]),
  ...contents,
];

/**
 * A module that defines (and may export) one memory, rewritten to import it instead as `env.memory`, shared,
 * maximum 4 GiB; `initialPages` is the minimum the module declared, the size its data segments need. Throws if
 * the module does not define exactly one memory or imports one already.
 */
export function importMemoryShared(bytes: Uint8Array): {
  bytes: Uint8Array<ArrayBuffer>;
  initialPages: number;
} {
  const all = sections(bytes);
  const memorySections = all.filter((s) => s.id === SECTION_MEMORY);
  const memory = memorySections[0];
  const count = memory === undefined ? undefined : readU32(bytes, memory.start);
  if (memorySections.length !== 1 || count?.value !== 1) {
    throw new Error('wasm binary: expected a module that defines exactly one memory');
  }
  const { initial } = readLimits(bytes, count.next);
  const entry = new Uint8Array([...utf8('env'), ...utf8('memory'), IMPORT_MEMORY, ...sharedLimits(initial)]);
  const parts: Uint8Array[] = [bytes.subarray(0, MAGIC_AND_VERSION)];
  let imported = false;
  for (const section of all) {
    if (section.id === SECTION_MEMORY) continue;
    // Sections are ordered by id (custom sections, 0, anywhere): the imports go before the first known id > 2.
    if (!imported && section.id > SECTION_IMPORT) {
      parts.push(...sectionBytes(SECTION_IMPORT, [new Uint8Array(u32(1)), entry]));
      imported = true;
    }
    if (section.id === SECTION_IMPORT) {
      const imports = readU32(bytes, section.start);
      parts.push(
        ...sectionBytes(SECTION_IMPORT, [
          new Uint8Array(u32(imports.value + 1)),
          bytes.subarray(imports.next, section.end),
          entry,
        ]),
      );
      imported = true;
      continue;
    }
    parts.push(bytes.subarray(section.header, section.end));
  }
  return { bytes: concat(parts), initialPages: initial };
}

/**
 * A module that imports one memory, rewritten to import it shared with a maximum of 4 GiB (the module's
 * minimum kept): the variant that a shared memory can be passed to. The module's code is unchanged; a module
 * whose memory is already shared comes back as it is.
 */
export function shareImportedMemory(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const imports = sections(bytes).find((s) => s.id === SECTION_IMPORT);
  if (imports !== undefined) {
    let at = readU32(bytes, imports.start).next;
    while (at < imports.end) {
      for (let name = 0; name < 2; name++) {
        const length = readU32(bytes, at);
        at = length.next + length.value;
      }
      const kind = bytes[at]!;
      at++;
      if (kind === IMPORT_MEMORY) {
        const limits = readLimits(bytes, at);
        if (limits.flags & LIMITS_SHARED) return new Uint8Array(bytes);
        const contents = concat([
          bytes.subarray(imports.start, at),
          new Uint8Array(sharedLimits(limits.initial)),
          bytes.subarray(limits.end, imports.end),
        ]);
        const before = bytes.subarray(0, imports.header);
        return concat([before, ...sectionBytes(SECTION_IMPORT, [contents]), bytes.subarray(imports.end)]);
      }
      at = skipImportDescription(bytes, kind, at);
    }
  }
  throw new Error('wasm binary: expected a module that imports a memory');
}

/** Skips the description of an import of `kind` (function, table, global; memory is handled by the caller). */
function skipImportDescription(bytes: Uint8Array, kind: number, at: number): number {
  switch (kind) {
    case 0x00: // function: a type index
      return readU32(bytes, at).next;
    case 0x01: // table: a reference type, then limits
      return readLimits(bytes, at + 1).end;
    case 0x03: // global: a value type and mutability
      return at + 2;
    default:
      throw new Error(`wasm binary: unknown import kind ${kind}`);
  }
}
