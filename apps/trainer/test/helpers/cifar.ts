import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const RECORDS = 10_000;
const RECORD_BYTES = 3073;

/**
 * Official-format CIFAR-10 files (train file 1, test file, meta) whose class is easy to learn: the image's
 * mean brightness encodes the label, plus noise.
 */
export async function writeLearnableCifar(dir: string): Promise<void> {
  let state = 12345;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  for (const file of ['data_batch_1.bin', 'test_batch.bin']) {
    const bytes = new Uint8Array(RECORDS * RECORD_BYTES);
    for (let r = 0; r < RECORDS; r++) {
      const label = r % 10;
      bytes[r * RECORD_BYTES] = label;
      // Each class its own colour: plane c of class k is bright when bit c of (k + 1)… plus a brightness level.
      for (let p = 1; p < RECORD_BYTES; p++) {
        const plane = Math.floor((p - 1) / 1024);
        const on = ((label + 1) >> plane) & 1;
        bytes[r * RECORD_BYTES + p] = Math.min(
          255,
          on * 120 + (label >> 3) * 100 + Math.floor(random() * 30),
        );
      }
    }
    await writeFile(join(dir, file), bytes);
  }
  await writeFile(
    join(dir, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n',
  );
}
