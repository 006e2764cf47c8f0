#!/usr/bin/env node
// inv-bench: runs one suite, prints the Markdown table, optionally writes the report as JSON and Markdown.
import * as tf from '@tensorflow/tfjs-core';
import { parseBenchArgs, USAGE } from './cli/args.js';
import { runSuite } from './run_suite.js';
import { renderMarkdown } from './report/markdown.js';
import { toJson } from './report/report.js';
import { writeFileAtomic } from './report/write_file.js';
import { suiteNamed } from './suites/index.js';

async function main(argv: string[]): Promise<void> {
  // Production mode, as the `inv` CLI runs: no "install tfjs-node" banner on the cpu backend's first use
  // (tfjs-node is an optional peer, absent offline), and no per-op debug checks in what is measured.
  tf.env().set('PROD', true);
  const options = parseBenchArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const suite = suiteNamed(options.suite);
  const backends = options.backends ?? [...suite.defaultBackends];
  const report = await runSuite(suite, {
    ...options,
    backends,
    // Asked for by name, webgpu runs whatever the adapter; by default only on a real GPU.
    allowSoftwareWebgpu: options.backends?.includes('webgpu') ?? false,
    log: (line) => console.error(`[bench] ${line}`),
  });
  const markdown = renderMarkdown(report);
  console.log(markdown);
  if (options.json !== undefined) writeFileAtomic(options.json, toJson(report));
  if (options.md !== undefined) writeFileAtomic(options.md, markdown);
  for (const path of [options.json, options.md])
    if (path !== undefined) console.error(`[bench] wrote ${path}`);
}

main(process.argv.slice(2)).then(
  // Dawn keeps handles open: exit once the report is out rather than wait for them.
  () => process.exit(0),
  (error: unknown) => {
    console.error(`inv-bench: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(1);
  },
);
