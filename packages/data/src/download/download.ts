import { open, rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import https from 'node:https';
import { DataError } from '../errors.js';
import type { ProgressCallback } from '../progress.js';
import { md5File } from './md5.js';

export interface DownloadOptions {
  readonly url: string;
  /** The final path: it only ever appears complete and verified (written as `<dest>.part`, then renamed). */
  readonly dest: string;
  /** Expected MD5 (hex) of the whole file. */
  readonly md5: string;
  /** Further attempts after a transfer is cut off, each resuming where the last stopped. Default 3. */
  readonly retries?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ProgressCallback | undefined;
}

const MAX_REDIRECTS = 5;

/**
 * Downloads `url` to `dest`: resumes a previous `<dest>.part` with an HTTP Range request (restarting when the
 * server ignores it), verifies the MD5 and renames atomically. A checksum mismatch deletes the download.
 */
export async function downloadVerified(options: DownloadOptions): Promise<void> {
  const part = `${options.dest}.part`;
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      await transfer(part, options);
      break;
    } catch (error) {
      const resumable = error instanceof DataError && error.code === 'DOWNLOAD_TRUNCATED';
      if (!resumable || attempt >= retries) throw error;
    }
  }
  const expected = options.md5.toLowerCase();
  const got = await md5File(part, options.signal);
  if (got !== expected) {
    await rm(part, { force: true });
    throw new DataError(
      'CHECKSUM_MISMATCH',
      `MD5 of the download from ${options.url} is ${got}, expected ${expected}; the file was deleted and nothing was cached`,
    );
  }
  await rename(part, options.dest);
}

/** One HTTP exchange appending to (or restarting) `part`; resolves only when the whole body is on disk. */
async function transfer(part: string, options: DownloadOptions): Promise<void> {
  const { url, signal, onProgress } = options;
  const have = await fileSize(part);
  const res = await get(url, have > 0 ? { range: `bytes=${have}-` } : {}, signal);
  let start = 0;
  let total: number | undefined;
  if (res.statusCode === 206 && have > 0) {
    const range = contentRange(res.headers);
    if (range?.start !== have) return restart(res, part, options);
    start = have;
    total = range.total;
  } else if (res.statusCode === 200) {
    // No Range support (or no partial): the body is the whole file, so the partial is overwritten.
    total = contentLength(res.headers);
  } else if (res.statusCode === 416 && have > 0) {
    // The partial already reaches the end, or is longer than the file: keep it only in the first case.
    if (contentRange(res.headers)?.total === have) {
      res.resume();
      return;
    }
    return restart(res, part, options);
  } else {
    res.resume();
    throw new DataError(
      'DOWNLOAD_FAILED',
      `GET ${url} answered HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim(),
    );
  }

  const file = await open(part, start === 0 ? 'w' : 'a');
  let loaded = start;
  try {
    try {
      for await (const chunk of res) {
        await file.write(chunk as Buffer);
        loaded += (chunk as Buffer).length;
        onProgress?.({ phase: 'download', loaded, total });
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      throw truncated(url, loaded, total, part, error);
    }
    if (!res.complete || (total !== undefined && loaded !== total)) throw truncated(url, loaded, total, part);
    // The rename that publishes the file must not overtake its bytes on a crash.
    await file.datasync();
  } finally {
    await file.close();
  }
}

async function restart(res: IncomingMessage, part: string, options: DownloadOptions): Promise<void> {
  res.resume();
  await rm(part, { force: true });
  return transfer(part, options);
}

function truncated(
  url: string,
  loaded: number,
  total: number | undefined,
  part: string,
  cause?: unknown,
): DataError {
  const of = total === undefined ? 'an unknown number of' : total.toLocaleString('en-US');
  return new DataError(
    'DOWNLOAD_TRUNCATED',
    `download of ${url} stopped after ${loaded.toLocaleString('en-US')} of ${of} bytes; ` +
      `the partial file ${part} is not used as complete, and the next attempt resumes it`,
    { cause },
  );
}

/** GET with redirects followed; the body is never content-decoded, so the bytes are the file's. */
function get(
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
  redirects = MAX_REDIRECTS,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
    if (protocol !== 'http:' && protocol !== 'https:') {
      reject(
        new DataError(
          'DOWNLOAD_FAILED',
          `cannot download ${JSON.stringify(url)}: only absolute http: and https: addresses are supported`,
        ),
      );
      return;
    }
    const client = protocol === 'https:' ? https : http;
    const req = client.get(url, { headers: { 'accept-encoding': 'identity', ...headers }, signal }, (res) => {
      const location = res.headers.location;
      if (
        res.statusCode !== undefined &&
        res.statusCode >= 300 &&
        res.statusCode < 400 &&
        location !== undefined
      ) {
        res.resume();
        if (redirects === 0) {
          reject(new DataError('DOWNLOAD_FAILED', `GET ${url}: more than ${MAX_REDIRECTS} redirects`));
          return;
        }
        get(new URL(location, url).href, headers, signal, redirects - 1).then(resolve, reject);
        return;
      }
      resolve(res);
    });
    req.on('error', (error) => {
      reject(
        signal?.aborted
          ? error
          : new DataError('DOWNLOAD_FAILED', `GET ${url} failed: ${error.message}`, { cause: error }),
      );
    });
  });
}

function contentLength(headers: IncomingHttpHeaders): number | undefined {
  const value = Number(headers['content-length']);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** `Content-Range: bytes START-END/TOTAL` (206) or `bytes *\/TOTAL` (416). */
function contentRange(
  headers: IncomingHttpHeaders,
): { start: number | undefined; total: number | undefined } | undefined {
  const match = /^bytes (?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(headers['content-range'] ?? '');
  if (match === null) return undefined;
  return {
    start: match[1] === undefined ? undefined : Number(match[1]),
    total: match[2] === '*' ? undefined : Number(match[2]),
  };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
