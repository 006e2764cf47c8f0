// Writes the kernel table (packages/kernels/src/table.ts, from the built dist/) between its markers in the
// docs that carry it. `pnpm nx run kernels:kernel-table`; test/kernel_table.test.ts fails when it is stale.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { KERNEL_TABLE_DOCS, withKernelTable } from '../dist/table_markdown.js';

for (const path of KERNEL_TABLE_DOCS) {
  const file = fileURLToPath(new URL(`../${path}`, import.meta.url));
  const doc = readFileSync(file, 'utf8');
  const updated = withKernelTable(doc, path);
  if (updated === doc) continue;
  writeFileSync(`${file}.tmp`, updated);
  renameSync(`${file}.tmp`, file);
  console.log(`kernel table written to ${path}`);
}
