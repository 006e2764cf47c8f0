// MD5 in plain TypeScript, fed chunk by chunk (RFC 1321): browsers' Web Crypto has no MD5, and the official
// CIFAR-10 archive is published with its MD5. Not for security; for recognising a known file.

/** Left-rotation amounts per round, four per round. */
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
/** K[i] = floor(|sin(i + 1)| · 2³²). */
const K = Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0);

export class Md5 {
  private readonly state = Int32Array.of(0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476);
  private readonly block = new Uint8Array(64);
  private readonly words = new Int32Array(16);
  private filled = 0;
  private bytes = 0;

  /** Adds the next bytes. */
  update(data: Uint8Array): this {
    this.bytes += data.length;
    let at = 0;
    if (this.filled > 0) {
      const take = Math.min(64 - this.filled, data.length);
      this.block.set(data.subarray(0, take), this.filled);
      this.filled += take;
      at = take;
      if (this.filled < 64) return this;
      this.process(this.block, 0);
      this.filled = 0;
    }
    for (; at + 64 <= data.length; at += 64) this.process(data, at);
    this.block.set(data.subarray(at), 0);
    this.filled = data.length - at;
    return this;
  }

  /** The digest as 32 lowercase hex digits; the hash takes no more bytes after it. */
  hex(): string {
    const bits = this.bytes * 8;
    const tail = new Uint8Array((this.filled < 56 ? 64 : 128) - this.filled);
    tail[0] = 0x80;
    // The message length in bits, 64-bit little-endian.
    const view = new DataView(tail.buffer);
    view.setUint32(tail.length - 8, bits >>> 0, true);
    view.setUint32(tail.length - 4, Math.floor(bits / 2 ** 32), true);
    const bytes = this.bytes;
    this.update(tail);
    this.bytes = bytes;
    const out = new Uint8Array(this.state.buffer.slice(0));
    return Array.from(out, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  private process(data: Uint8Array, offset: number): void {
    const x = this.words;
    for (let i = 0; i < 16; i++) {
      const o = offset + 4 * i;
      x[i] = data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24);
    }
    const s = this.state;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    // Round r = i >> 4 (of four): its own mixing function and message-word order.
    for (let i = 0; i < 64; i++) {
      const f =
        i < 16
          ? ((b & c) | (~b & d)) + x[i]!
          : i < 32
            ? ((d & b) | (~d & c)) + x[(5 * i + 1) & 15]!
            : i < 48
              ? (b ^ c ^ d) + x[(3 * i + 5) & 15]!
              : (c ^ (b | ~d)) + x[(7 * i) & 15]!;
      const sum = (f + a + K[i]!) | 0;
      const shift = SHIFTS[((i >> 4) << 2) | (i & 3)]!;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    s[0] = (s[0]! + a) | 0;
    s[1] = (s[1]! + b) | 0;
    s[2] = (s[2]! + c) | 0;
    s[3] = (s[3]! + d) | 0;
  }
}
