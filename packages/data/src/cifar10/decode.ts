import { DataError } from '../errors.js';
import {
  CLASS_NAMES,
  FILE_BYTES,
  IMAGE_SIZE,
  NUM_CLASSES,
  PIXELS_PER_IMAGE,
  RECORD_BYTES,
  RECORDS_PER_FILE,
} from './format.js';

const PLANE = IMAGE_SIZE * IMAGE_SIZE;

/**
 * Decodes the first `count` records of one batch file into `images` (NHWC) and `labels`, starting at record
 * `offset` of the destination. `where` (a path or URL) only names the file in errors.
 */
export function decodeBatchFile(
  bytes: Uint8Array,
  where: string,
  count: number,
  images: Uint8Array,
  labels: Uint8Array,
  offset: number,
): void {
  // The whole file must have the official size even when fewer records are wanted: anything else is not a
  // CIFAR-10 batch file (truncated copy, wrong file), and a partial read would hide that.
  if (bytes.length !== FILE_BYTES) {
    throw new DataError(
      'BAD_FILE_SIZE',
      `${where} has ${bytes.length.toLocaleString('en-US')} bytes; a CIFAR-10 batch file has ` +
        `${RECORDS_PER_FILE.toLocaleString('en-US')} records × ${RECORD_BYTES.toLocaleString('en-US')} bytes = ` +
        `${FILE_BYTES.toLocaleString('en-US')} bytes`,
    );
  }
  for (let r = 0; r < count; r++) {
    const record = r * RECORD_BYTES;
    const label = bytes[record]!;
    if (label >= NUM_CLASSES) {
      throw new DataError(
        'BAD_LABEL',
        `${where}: record ${r} (byte offset ${record}) has label ${label}; CIFAR-10 labels are 0..${NUM_CLASSES - 1}`,
      );
    }
    labels[offset + r] = label;
    // Planar R, G, B → interleaved RGB: one pass over the record, three reads per output pixel.
    const red = record + 1;
    const green = red + PLANE;
    const blue = green + PLANE;
    let out = (offset + r) * PIXELS_PER_IMAGE;
    for (let p = 0; p < PLANE; p++) {
      images[out++] = bytes[red + p]!;
      images[out++] = bytes[green + p]!;
      images[out++] = bytes[blue + p]!;
    }
  }
}

/**
 * The class names of `batches.meta.txt`: one per line, blank lines ignored, and they must be CIFAR-10's own (in
 * their order), so a damaged meta file cannot rename a class without an error.
 */
export function decodeClassNames(bytes: Uint8Array, where: string): string[] {
  const names = new TextDecoder()
    .decode(bytes)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== NUM_CLASSES) {
    throw new DataError(
      'BAD_META',
      `${where} lists ${names.length} class names; CIFAR-10 has ${NUM_CLASSES}, one per line`,
    );
  }
  const wrong = names.findIndex((name, i) => name !== CLASS_NAMES[i]);
  if (wrong >= 0) {
    throw new DataError(
      'BAD_META',
      `${where}: line ${wrong + 1} names class ${wrong} ${JSON.stringify(names[wrong])}; CIFAR-10's classes are ` +
        CLASS_NAMES.join(', '),
    );
  }
  return names;
}
