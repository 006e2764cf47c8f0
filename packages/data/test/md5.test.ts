import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Md5 } from '../src/md5.js';
import { randomBytesFrom } from './helpers/fixtures.js';
import { useTestSeed } from './helpers/seed.js';

const random = useTestSeed('md5.test.ts');

describe('Md5 (the browser loader checks the official archive with it)', () => {
  it("gives RFC 1321's test digests", () => {
    const text = (s: string) => new Md5().update(new TextEncoder().encode(s)).hex();
    expect(text('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(text('abc')).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(text('12345678901234567890123456789012345678901234567890123456789012345678901234567890')).toBe(
      '57edf4a22be3c955ac49da2e2107b67a',
    );
  });

  it("equals node:crypto's on random data of every length around the block size, fed in random chunks", () => {
    for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 100_003]) {
      const data = randomBytesFrom(random, length);
      const md5 = new Md5();
      for (let at = 0; at < length;) {
        const take = 1 + Math.floor(random() * 150);
        md5.update(data.subarray(at, at + take));
        at += take;
      }
      expect(md5.hex(), `${length} bytes`).toBe(createHash('md5').update(data).digest('hex'));
    }
  });
});
