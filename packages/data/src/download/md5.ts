import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The MD5 of a file, hex, streamed (archives are too large to hash from one buffer comfortably). */
export async function md5File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path, { signal, highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
