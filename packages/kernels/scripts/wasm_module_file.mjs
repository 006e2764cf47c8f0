// What the wasm assemblers share (this package's engine and streaming modules, @inv/core's involution module):
// a .wat assembled to bytes, the bytes as base64 lines for a checked-in TypeScript module, and that module
// written atomically or, with `--check`, compared with what is checked in.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import wabt from 'wabt';

// Prettier's print width: the base64 goes in lines it leaves alone.
const LINE = 100;

const toolkit = await wabt();

/** The binary of `text` (named `name` in errors), validated with the given wabt features. */
export function assembleWat(name, text, features) {
  const parsed = toolkit.parseWat(name, text, features);
  parsed.validate(features);
  const bytes = parsed.toBinary({}).buffer;
  parsed.destroy();
  return bytes;
}

/** `bytes` as base64 string literals, one line each, indented by `indent`, each ending in a comma. */
export function base64Lines(bytes, indent) {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = [];
  for (let i = 0; i < base64.length; i += LINE) lines.push(`${indent}'${base64.slice(i, i + LINE)}',`);
  return lines.join('\n');
}

/**
 * Writes `text` to `modulePath` (atomically), or with `--check` on the command line writes nothing and exits
 * 1 when the file is not `text`, naming `command`, which regenerates it.
 */
export function writeOrCheck(modulePath, text, command, summary) {
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(modulePath, 'utf8');
    } catch {
      // Missing counts as stale.
    }
    if (current !== text) {
      console.error(`${modulePath} is stale: run \`${command}\``);
      process.exit(1);
    }
  } else {
    writeFileSync(`${modulePath}.tmp`, text);
    renameSync(`${modulePath}.tmp`, modulePath);
    console.log(`wrote ${modulePath} (${summary})`);
  }
}
