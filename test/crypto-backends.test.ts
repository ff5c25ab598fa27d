import { createHash, createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backend } from '#crypto';
import { nodeBackend } from '../src/crypto/node.js';
import { hmacKeyFor } from '../src/crypto/node-hmac-key.js';
import { webBackend } from '../src/crypto/web.js';

describe('crypto back ends', () => {
  it('this project runs the suite on the back end it says it does', () => {
    expect(backend.name).toBe(process.env.EXPECTED_CRYPTO_BACKEND);
  });

  it('Web Crypto and node:crypto give byte-identical HMACs, and both match createHmac', async () => {
    // Secrets are never empty: options refuse them, and Web Crypto cannot import a zero-length key.
    const cases = [
      ['k', ''],
      ['k', 'vk_app_id=1&vk_user_id=2'],
      ['ключ', 'vk_x=%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82'],
      ['🔑', 'a'.repeat(10_000)],
    ];
    for (let i = 0; i < 200; i++) {
      cases.push([randomBytes(1 + (i % 40)).toString('base64'), randomBytes(i * 7).toString('latin1')]);
    }
    for (const [secret, message] of cases as [string, string][]) {
      const expected = createHmac('sha256', secret).update(message).digest('base64url');
      expect(nodeBackend.hmacSha256Base64Url(secret, message)).toBe(expected);
      expect(await webBackend.hmacSha256Base64Url(secret, message)).toBe(expected);
    }
  });
});

describe('node:crypto HMAC from two one-shot hashes', () => {
  it('serves short ASCII secrets such as VK Secure keys, and falls back to a KeyObject otherwise', () => {
    expect(hmacKeyFor('wvl68m4dR1UpLrVRli').kind).toBe('pads');
    expect(hmacKeyFor('x'.repeat(64)).kind).toBe('pads');
    expect(hmacKeyFor('x'.repeat(65)).kind).toBe('key-object');
    expect(hmacKeyFor('ключ').kind).toBe('key-object');
  });

  it('equals createHmac for any secret and message, lone surrogates and long keys included', () => {
    const text = (maxLength: number) =>
      fc.oneof(
        fc.string({ maxLength }),
        fc.string({ unit: 'binary', maxLength }),
        fc.string({ unit: fc.constantFrom('\u0000', '6', '\\', '\u007f', '\ud800', 'é'), maxLength }),
      );
    fc.assert(
      fc.property(text(100).filter(Boolean), text(300), (secret, message) => {
        const expected = createHmac('sha256', secret).update(message).digest('base64url');
        expect(nodeBackend.hmacSha256Base64Url(secret, message)).toBe(expected);
        // Twice: the outer buffer is reused between calls.
        expect(nodeBackend.hmacSha256Base64Url(secret, message)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('plain SHA-256 (contact signs)', () => {
  it('is byte-identical on both back ends and matches createHash', async () => {
    for (const message of ['', 'abc', '7770000W7kVvxVxZ4162447emailtest@gmail.com', 'ключ🔑'.repeat(500)]) {
      const expected = createHash('sha256').update(message).digest('base64url');
      expect(nodeBackend.sha256Base64Url(message)).toBe(expected);
      expect(await webBackend.sha256Base64Url(message)).toBe(expected);
    }
  });
});
