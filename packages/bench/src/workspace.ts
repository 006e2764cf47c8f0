import { fileURLToPath } from 'node:url';

// This file compiles to dist/workspace.js beside src/workspace.ts: both are three levels below the workspace root.
const ROOT = new URL('../../../', import.meta.url);

/** A path in the workspace (the checkout this package sits in), e.g. `tools/peer/involution_torch.py`. */
export function workspacePath(relative: string): string {
  return fileURLToPath(new URL(relative, ROOT));
}
