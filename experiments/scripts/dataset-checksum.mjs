// Writes the SHA-256 of every file in the CIFAR-10 directory to argv[2]: the Nx input that ties each training
// run's cache entry to the data it trained on (the dataset itself is never committed, so Nx cannot hash it).
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

const dir = resolve(process.env.INV_CIFAR10_DIR ?? '../shared/datasets/cifar10/cifar-10-batches-bin');
const out = process.argv[2];
if (out === undefined) throw new Error('usage: node dataset-checksum.mjs OUT_FILE');
const files = (
  await readdir(dir).catch((error) => {
    throw new Error(
      `CIFAR-10 not found at ${dir} (set INV_CIFAR10_DIR to the cifar-10-batches-bin directory): ${error.message}`,
    );
  })
).sort();
const lines = [];
for (const file of files)
  lines.push(
    `${createHash('sha256')
      .update(await readFile(join(dir, file)))
      .digest('hex')}  ${file}`,
  );
await mkdir(dirname(out), { recursive: true });
// Atomic: a reader never sees half a checksum file.
await writeFile(`${out}.tmp`, `${lines.join('\n')}\n`);
await rename(`${out}.tmp`, out);
console.log(`${dir}: ${files.length} files hashed into ${out}`);
