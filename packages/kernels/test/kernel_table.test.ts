/** The kernel table: well formed, one row per kernel × backend, and its generated copies in the docs current. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KERNEL_TABLE } from '../src/index.js';
import { KERNEL_TABLE_DOCS, kernelTableMarkdown, withKernelTable } from '../src/table_markdown.js';

describe('KERNEL_TABLE', () => {
  it('has one entry per kernel and backend, each saying why and what runs otherwise', () => {
    const keys = KERNEL_TABLE.map((e) => `${e.backend}/${e.kernelName}/${'gradient' in e.config}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const e of KERNEL_TABLE) {
      expect(e.why.length, e.kernelName).toBeGreaterThan(10);
      expect(e.otherwise.length, e.kernelName).toBeGreaterThan(5);
      const config = 'kernel' in e.config ? e.config.kernel : e.config.gradient;
      expect(config.kernelName).toBe(e.kernelName);
      if ('kernel' in e.config) expect(e.config.kernel.backendName).toBe(e.backend);
    }
  });

  it('renders a Markdown row per entry', () => {
    const lines = kernelTableMarkdown().split('\n');
    expect(lines).toHaveLength(KERNEL_TABLE.length + 2);
    expect(lines[2]).toContain(`\`${KERNEL_TABLE[0]!.kernelName}\``);
  });

  it.each(KERNEL_TABLE_DOCS)(
    '%s carries the current table (else run `pnpm nx run kernels:kernel-table`)',
    (path) => {
      const doc = readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
      expect(withKernelTable(doc, path)).toBe(doc);
    },
  );

  it('says where the markers are missing', () => {
    expect(() => withKernelTable('# no table here', 'X.md')).toThrow(
      /X\.md: expected the kernel table's markers/,
    );
  });
});
