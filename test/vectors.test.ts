import { describe, expect, it } from 'vitest';
import { VkAuthError, verifyLaunchParams } from '../src/index.js';
import { vectors } from './vectors.js';

describe('known-answer vectors (shared/docs/vectors.json)', () => {
  it('has launch-params vectors to run', () => {
    expect(vectors.launchParams.length).toBeGreaterThanOrEqual(7);
  });

  for (const vector of vectors.launchParams) {
    it(`${vector.id} is ${vector.valid ? 'accepted' : 'refused'}`, async () => {
      const attempt = verifyLaunchParams(vector.input, { secret: vector.secret, maxAge: 0 });
      if (vector.valid) {
        const params = await attempt;
        expect(params.sign).toMatch(/^[A-Za-z0-9_-]{43}$/);
      } else {
        const error = await attempt.catch((e: unknown) => e);
        expect(VkAuthError.is(error, 'SIGN_INVALID')).toBe(true);
      }
    });
  }
});
