import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a route serves its body: honouring Range or not; cutting the connection halfway on its first `cuts` requests. */
export interface Route {
  readonly body: Uint8Array;
  readonly range: boolean;
  cuts?: number;
}

export interface Served {
  readonly url: string;
  /** Every request: path, Range header and answer status. */
  readonly log: Array<{ path: string; range: string | undefined; status: number }>;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 (random port) serving `routes`; anything else is 404. */
export async function serve(routes: Record<string, Route>): Promise<Served> {
  const log: Served['log'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const route = routes[path];
    const range = req.headers.range;
    const answer = (status: number): void => {
      log.push({ path, range, status });
      res.statusCode = status;
    };
    if (route === undefined) {
      answer(404);
      res.end('not found');
      return;
    }
    const size = route.body.length;
    let start = 0;
    const match = route.range ? /^bytes=(\d+)-$/.exec(range ?? '') : null;
    if (match !== null) {
      start = Number(match[1]);
      if (start >= size) {
        answer(416);
        res.setHeader('content-range', `bytes */${size}`);
        res.end();
        return;
      }
      answer(206);
      res.setHeader('content-range', `bytes ${start}-${size - 1}/${size}`);
    } else {
      answer(200);
    }
    if (route.range) res.setHeader('accept-ranges', 'bytes');
    res.setHeader('content-type', 'application/octet-stream');
    res.setHeader('content-length', String(size - start));
    if ((route.cuts ?? 0) > 0) {
      route.cuts = route.cuts! - 1;
      const half = start + Math.floor((size - start) / 2);
      res.flushHeaders();
      res.write(route.body.subarray(start, half), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(route.body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
