import { homedir } from 'node:os';
import { join } from 'node:path';

/** The user cache root: `INV_CACHE_DIR`, else `$XDG_CACHE_HOME/inv`, else `~/.cache/inv`. */
export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env['INV_CACHE_DIR'];
  if (explicit) return explicit;
  const xdg = env['XDG_CACHE_HOME'];
  return xdg ? join(xdg, 'inv') : join(homedir(), '.cache', 'inv');
}
