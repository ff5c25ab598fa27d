// Hostile Authorization values through every adapter (one driver per framework, NestJS
// included): whatever arrives, the answer is a 401 carrying one of the documented codes and
// the challenge for it (or a 200 for a mutation that happens to leave a valid credential),
// never a 500 or a hang.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { VK_AUTH_ERROR_CODES } from '../../src/index.js';
import { launch, now, SECRET } from '../helpers.js';
import { adapters } from './every-adapter.js';
import { challengeFor } from './fixtures.js';

const options = { secret: SECRET, now };

// What a header can carry: visible ASCII and spaces, with the pieces launch params are made of.
const headerChar = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));
const fragment = fc.constantFrom(
  'vk_user_id=',
  'vk_app_id=',
  'sign=',
  '&',
  '=',
  '%',
  '%E0',
  '%zz',
  '?',
  '#',
  'Bearer ',
  'VK ',
  '__proto__=',
  'A'.repeat(43),
);
const garbage = fc.oneof(
  fc.string({ unit: headerChar, maxLength: 300 }),
  fc
    .array(fc.oneof(fragment, fc.string({ unit: headerChar, maxLength: 8 })), { maxLength: 30 })
    .map((parts) => parts.join('')),
  fc.base64String({ maxLength: 400 }).map((text) => `Bearer ${text}`),
  fc.constant(`Bearer ${'a'.repeat(9000)}`),
);

describe('hostile credentials through every adapter', async () => {
  const valid = `Bearer ${await launch()}`;
  const apps = await adapters(options);
  afterAll(async () => {
    await Promise.all(apps.map(([, , close]) => close()));
  });
  for (const [name, send] of apps) {
    it(`${name}: random values are refused with 401, a documented code and its challenge`, async () => {
      await fc.assert(
        fc.asyncProperty(garbage, async (authorization) => {
          const { status, code, challenge } = await send(authorization.trim() === '' ? 'x' : authorization);
          expect(status).toBe(401);
          expect(VK_AUTH_ERROR_CODES).toContain(code);
          expect(challenge).toBe(challengeFor(String(code)));
        }),
        { numRuns: 120 },
      );
    });

    it(`${name}: one changed character of a valid credential is a 401 or, if still valid, a 200`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.nat({ max: valid.length - 1 }), headerChar, async (at, char) => {
          const mutated = `${valid.slice(0, at)}${char}${valid.slice(at + 1)}`;
          const { status, code, challenge } = await send(mutated);
          expect([200, 401]).toContain(status);
          if (status === 401) {
            expect(VK_AUTH_ERROR_CODES).toContain(code);
            expect(challenge).toBe(challengeFor(String(code)));
          }
        }),
        { numRuns: 120 },
      );
    });
  }
});
