import { expect } from 'vitest';

const CHALLENGE = 'Bearer realm="vk-miniapp", error="invalid_token"';

/**
 * Checks the JSON line nestjs-dist-smoke.mjs prints last: on each module format
 * and platform, a valid launch gets in, none is refused with the challenge, and
 * a public route stays open.
 */
export function expectSmokeAnswers(stdout: string): void {
  const expected = { ok: [200, { user_id: 7 }], refused: [401, CHALLENGE, 'MISSING_CREDENTIALS'], health: 200 };
  expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual({
    'esm/express': expected,
    'esm/fastify': expected,
    'cjs/express': expected,
    'cjs/fastify': expected,
  });
}
