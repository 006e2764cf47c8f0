import { DataError } from '../errors.js';

const BLOCK = 512;

/** A field of a tar header as text: up to its first NUL. */
function field(header: Uint8Array, offset: number, length: number): string {
  const bytes = header.subarray(offset, offset + length);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** A numeric field: octal text, or GNU's base-256 (high bit set) for sizes over 8 GiB. */
function numberField(header: Uint8Array, offset: number, length: number): number {
  if ((header[offset]! & 0x80) !== 0) {
    let value = header[offset]! & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + header[offset + i]!;
    return value;
  }
  const text = field(header, offset, length).trim();
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : NaN;
}

/** Whether the header's checksum (the unsigned sum of its bytes, the checksum field read as spaces) holds. */
function checksumHolds(header: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
  return numberField(header, 148, 8) === sum;
}

/** One entry's header: its path (ustar prefix joined), size in bytes and whether it is a regular file. */
interface EntryHeader {
  readonly path: string;
  readonly size: number;
  readonly file: boolean;
}

/**
 * A streaming reader of an (uncompressed) tar archive, fed chunk by chunk: every header's checksum is checked,
 * and only the regular files `keep` accepts are held in memory, so a 160 MB archive is read in one pass holding
 * only what is wanted. `where` names the archive in errors.
 */
export class TarReader {
  private readonly files = new Map<string, Uint8Array>();
  /** Bytes of the current header block, or of the current kept entry. */
  private buffer = new Uint8Array(BLOCK);
  private filled = 0;
  private entry: (EntryHeader & { keep: boolean }) | undefined;
  /** Bytes of the current entry (then its padding) still to come. */
  private remaining = 0;
  private padding = 0;
  private ended = false;
  private entries = 0;

  constructor(
    private readonly where: string,
    private readonly keep: (path: string) => boolean,
  ) {}

  /** Feeds the next bytes of the archive. */
  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.ended) {
      if (this.entry !== undefined) {
        const take = Math.min(this.remaining, chunk.length - at);
        if (this.entry.keep) this.buffer.set(chunk.subarray(at, at + take), this.entry.size - this.remaining);
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) {
          if (this.entry.keep) this.files.set(this.entry.path, this.buffer);
          this.entry = undefined;
          this.buffer = new Uint8Array(BLOCK);
          this.filled = 0;
        }
      } else if (this.padding > 0) {
        const take = Math.min(this.padding, chunk.length - at);
        this.padding -= take;
        at += take;
      } else {
        const take = Math.min(BLOCK - this.filled, chunk.length - at);
        this.buffer.set(chunk.subarray(at, at + take), this.filled);
        this.filled += take;
        at += take;
        if (this.filled === BLOCK) this.header();
      }
    }
  }

  /** The kept files by path, once the whole archive has been fed; a cut-off archive is a `BAD_ARCHIVE`. */
  finish(): Map<string, Uint8Array> {
    if (this.entry !== undefined) {
      throw new DataError(
        'BAD_ARCHIVE',
        `${this.where} is cut off: it ends inside ${this.entry.path} after ${(this.entry.size - this.remaining).toLocaleString('en-US')} of its ${this.entry.size.toLocaleString('en-US')} bytes`,
      );
    }
    if (!this.ended && this.entries === 0) {
      throw new DataError(
        'BAD_ARCHIVE',
        `${this.where} holds no tar entries; expected cifar-10-binary.tar.gz`,
      );
    }
    return this.files;
  }

  private header(): void {
    const header = this.buffer;
    this.filled = 0;
    // A zero block ends the archive (tar writes two; whatever follows is ignored, as tar does).
    if (header.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    if (!checksumHolds(header)) {
      throw new DataError(
        'BAD_ARCHIVE',
        `${this.where}: tar header ${this.entries + 1} fails its checksum (a damaged or not a tar.gz archive); expected the official cifar-10-binary.tar.gz`,
      );
    }
    const name = field(header, 0, 100);
    const prefix = field(header, 345, 155);
    const size = numberField(header, 124, 12);
    const type = String.fromCharCode(header[156]!);
    if (!Number.isSafeInteger(size)) {
      throw new DataError('BAD_ARCHIVE', `${this.where}: tar entry ${name} has no readable size`);
    }
    const path = normalizePath(prefix === '' ? name : `${prefix}/${name}`);
    const file = type === '0' || type === '\0';
    const keep = file && this.keep(path);
    this.entries++;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) {
      if (keep) this.files.set(path, new Uint8Array(0));
      return;
    }
    this.entry = { path, size, file, keep };
    this.remaining = size;
    this.buffer = keep ? new Uint8Array(size) : this.buffer;
  }
}

/** `./a//b/` → `a/b`. */
function normalizePath(path: string): string {
  return path
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}
