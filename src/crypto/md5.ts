// MD5 (RFC 1321) in plain TypeScript, for the one place VK still uses it: the
// `sig` of payment notifications. Web Crypto has no MD5, so the Web back end
// uses this; the Node back end uses `node:crypto`. Not for new designs: MD5 is
// broken for collision resistance, and is here only because VK signs with it.

const encoder = new TextEncoder();

// Per-round shift amounts (RFC 1321, section 3.4).
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

// floor(abs(sin(i + 1)) * 2^32), written out: Math.sin is not required to be
// exact, so computing the table at load time could differ between engines.
const K = new Int32Array([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8,
  0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340,
  0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87,
  0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
  0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039,
  0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92,
  0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
  0xeb86d391,
]);

const HEX = '0123456789abcdef';

/**
 * MD5 of the UTF-8 encoding of `message`, as 32 lower-case hex digits.
 *
 * @example
 * ```ts
 * md5Hex('abc'); // '900150983cd24fb0d6963f7d28e17f72'
 * ```
 */
export function md5Hex(message: string): string {
  return md5HexOfBytes(encoder.encode(message));
}

/** MD5 of `bytes`, as 32 lower-case hex digits. */
export function md5HexOfBytes(bytes: Uint8Array): string {
  const length = bytes.length;
  // Message, the 0x80 byte, zero padding to 56 mod 64, then the bit length (64 bits, little-endian).
  const padded = new Uint8Array((((length + 8) >>> 6) + 1) * 64);
  padded.set(bytes);
  padded[length] = 0x80;
  const view = new DataView(padded.buffer);
  const end = padded.length - 8;
  view.setUint32(end, (length << 3) >>> 0, true);
  view.setUint32(end + 4, Math.floor(length / 0x20000000), true);

  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  const words = new Int32Array(16);

  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) words[i] = view.getInt32(offset + i * 4, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) & 15;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) & 15;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) & 15;
      }
      const sum = (a + f + (K[i] as number) + (words[g] as number)) | 0;
      const shift = SHIFTS[((i >>> 4) << 2) | (i & 3)] as number;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }

  return wordHex(a0) + wordHex(b0) + wordHex(c0) + wordHex(d0);
}

/** A 32-bit word as 8 hex digits, least significant byte first (MD5's output order). */
function wordHex(word: number): string {
  let hex = '';
  for (let byte = 0; byte < 4; byte++) {
    const value = (word >>> (byte * 8)) & 0xff;
    hex += HEX[value >>> 4] + (HEX[value & 15] as string);
  }
  return hex;
}
