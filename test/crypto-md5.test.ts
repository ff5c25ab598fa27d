import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backend } from '#crypto';
import { md5Hex, md5HexOfBytes } from '../src/crypto/md5.js';
import { nodeBackend } from '../src/crypto/node.js';
import { webBackend } from '../src/crypto/web.js';

const nodeMd5 = (message: string | Uint8Array) => createHash('md5').update(message).digest('hex');

describe('MD5 (src/crypto/md5.ts)', () => {
  it('gives the RFC 1321 test suite (appendix A.5)', () => {
    const suite: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      [
        '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
        '57edf4a22be3c955ac49da2e2107b67a',
      ],
    ];
    for (const [message, digest] of suite) {
      expect(md5Hex(message)).toBe(digest);
      expect(nodeBackend.md5Hex(message)).toBe(digest);
      expect(webBackend.md5Hex(message)).toBe(digest);
    }
  });

  it('matches node:crypto at every length around the 64-byte block and padding edges', () => {
    for (let length = 0; length <= 200; length++) {
      const bytes = randomBytes(length);
      expect(md5HexOfBytes(new Uint8Array(bytes))).toBe(nodeMd5(bytes));
    }
    const big = randomBytes(1_000_003);
    expect(md5HexOfBytes(new Uint8Array(big))).toBe(nodeMd5(big));
  });

  it('hashes the UTF-8 of any string as node:crypto does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (message) => {
        const expected = createHash('md5').update(message, 'utf8').digest('hex');
        expect(md5Hex(message)).toBe(expected);
        expect(nodeBackend.md5Hex(message)).toBe(expected);
        expect(webBackend.md5Hex(message)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    for (const message of ['\ud800', 'a\udfffb', 'ключ🔑'.repeat(100), '\u0000\uffff']) {
      expect(md5Hex(message)).toBe(nodeMd5(message));
    }
  });

  it('is synchronous on this project’s back end too, and lower-case hex', () => {
    const digest = backend.md5Hex('secret');
    expect(digest).toBe('5ebe2294ecd0e0f08eab7690d2a6ee69');
    expect(digest).toMatch(/^[0-9a-f]{32}$/);
  });
});
