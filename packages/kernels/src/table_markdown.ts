import { KERNEL_TABLE, type KernelTableEntry } from './table.js';

/** The comments the generated table sits between, in the docs that carry it. */
export const KERNEL_TABLE_MARKERS = {
  start:
    '<!-- kernel-table:start (generated from packages/kernels/src/table.ts by `pnpm nx run kernels:kernel-table`) -->',
  end: '<!-- kernel-table:end -->',
} as const;

/** The documents carrying the table, relative to packages/kernels. */
export const KERNEL_TABLE_DOCS = ['../../docs/05-backends.md', 'README.md'] as const;

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;

/** {@link KERNEL_TABLE} as a Markdown table: one row per kernel × backend, gradients last. */
export function kernelTableMarkdown(table: readonly KernelTableEntry[] = KERNEL_TABLE): string {
  return [
    row(['Kernel', 'Backend', 'Why inv registers it', 'What runs otherwise']),
    row(['---', '---', '---', '---']),
    ...table.map((e) =>
      row([`\`${e.kernelName}\`${'gradient' in e.config ? ' gradient' : ''}`, e.backend, e.why, e.otherwise]),
    ),
  ].join('\n');
}

/** `doc` with the generated table between its markers; `where` names the document in the error. */
export function withKernelTable(doc: string, where: string): string {
  const { start, end } = KERNEL_TABLE_MARKERS;
  const from = doc.indexOf(start);
  const to = doc.indexOf(end);
  if (from < 0 || to < from) {
    throw new Error(`${where}: expected the kernel table's markers '${start}' then '${end}'`);
  }
  // Prettier would realign the columns: the generated rows are kept as written.
  const table = ['<!-- prettier-ignore-start -->', kernelTableMarkdown(), '<!-- prettier-ignore-end -->'];
  return `${doc.slice(0, from + start.length)}\n${table.join('\n')}\n${doc.slice(to)}`;
}
