import { describe, expect, it } from 'vitest';
import { VkAuthError, verifyLaunchParams } from '../src/index.js';
import { vectors } from './vectors.js';

describe('known-answer vectors (test/fixtures/vectors.json)', () => {
  it('has launch-params vectors to run, each naming its source', () => {
    expect(vectors.launchParams.length).toBeGreaterThanOrEqual(7);
    for (const vector of vectors.launchParams) expect(vector.source, vector.id).toMatch(/\S{8}/);
  });

  for (const vector of vectors.launchParams) {
    it(`${vector.id} is ${vector.valid ? 'accepted' : 'refused'}`, async () => {
      const attempt = verifyLaunchParams(vector.input, { secret: vector.secret, maxAge: 0 });
      if (vector.valid) {
        const params = await attempt;
        // What the vector says, read with the platform's own parser: the verified
        // object must carry exactly the user, app and sign that were signed.
        const query = new URLSearchParams(vector.input.slice(vector.input.indexOf('?') + 1));
        expect(params.vk_user_id).toBe(Number(query.get('vk_user_id')));
        expect(params.vk_app_id).toBe(Number(query.get('vk_app_id')));
        expect(params.sign).toBe(query.get('sign'));
      } else {
        const error = await attempt.catch((e: unknown) => e);
        expect(VkAuthError.is(error, 'SIGN_INVALID')).toBe(true);
      }
    });
  }
});
