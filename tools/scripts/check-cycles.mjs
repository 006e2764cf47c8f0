// Import cycles ESLint's import-x/no-cycle does not see: through type-only imports, and between folders.
// `node tools/scripts/check-cycles.mjs [--folders] DIR...` reads every .ts file under each DIR, follows its
// relative imports (type-only ones included) and fails listing each cycle among the files, and with `--folders`
// among the folders of each DIR (the DIR's own files, its index and shared modules, stand above its folders).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

/** Every .ts file under `dir`. */
function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The files `file` imports by relative specifier, `./x.js` naming `x.ts`. */
function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) =>
    resolve(dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.ts')),
  );
}

/** Strongly connected components of more than one node (Tarjan). */
function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  const visit = (node) => {
    index.set(node, index.size);
    low.set(node, index.get(node));
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

const args = process.argv.slice(2);
const checkFolders = args.includes('--folders');
const problems = [];
for (const root of args.filter((arg) => arg !== '--folders').map((dir) => resolve(dir))) {
  const files = new Map(sources(root).map((file) => [file, new Set(importsOf(file))]));
  const folders = new Map();
  for (const [file, imported] of files) {
    const from = relative(root, dirname(file));
    const edges = folders.get(from) ?? new Set();
    for (const target of imported) {
      const to = relative(root, dirname(target));
      // The DIR itself (its index, shared modules) is the package, not one of its folders.
      const nested = from.startsWith(`${to}/`) || to.startsWith(`${from}/`);
      if (from !== '' && to !== '' && to !== from && !to.startsWith('..') && !nested) {
        edges.add(to);
      }
    }
    folders.set(from, edges);
  }
  for (const cycle of cycles(files))
    problems.push(`files: ${cycle.map((f) => relative(process.cwd(), f)).join(' ↔ ')}`);
  if (checkFolders) {
    for (const cycle of cycles(folders)) {
      problems.push(`folders of ${relative(process.cwd(), root)}: ${cycle.join(' ↔ ')}`);
    }
  }
}
for (const problem of problems) console.error(`import cycle (${problem})`);
process.exit(problems.length > 0 ? 1 : 0);
