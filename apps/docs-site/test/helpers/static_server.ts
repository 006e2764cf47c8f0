import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
};

/**
 * A static file server for `root` on 127.0.0.1 (a free port): what any static host does, and no more.
 * `mounts` serve other folders under URL prefixes (`{ '/cifar10/': dir }`).
 */
export async function serveStatic(
  root: string,
  mounts: Record<string, string> = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const pathname = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    const mount = Object.keys(mounts).find((prefix) => pathname.startsWith(prefix));
    const base = mount === undefined ? root : mounts[mount]!;
    let file = join(base, mount === undefined ? pathname : pathname.slice(mount.length));
    if (!file.startsWith(base + sep) && file !== base) {
      response.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      statSync(file);
    } catch {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
