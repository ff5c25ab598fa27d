import { describe, expect, it } from 'vitest';
import { parseMaxInitData, signMaxInitData, verifyMaxInitData } from '../../src/max.js';
import { BOT_TOKEN, referenceInitData } from './helpers.js';

const SIGNED_AT = 1_771_409_719; // Unix seconds, as MAX documents auth_date
const at = (seconds: number) => () => seconds * 1000;

async function signedAt(authDate: number | Date): Promise<string> {
  return signMaxInitData({ user: { id: 7, first_name: 'T' }, auth_date: authDate }, BOT_TOKEN);
}

describe('the age of auth_date', () => {
  for (const [unit, authDate] of [
    ['seconds', SIGNED_AT],
    ['milliseconds', SIGNED_AT * 1000],
    ['a Date', new Date(SIGNED_AT * 1000)],
  ] as const) {
    it(`in ${unit}: accepted up to maxAge + clockSkew, EXPIRED after`, async () => {
      const initData = await signedAt(authDate);
      const verify = (nowSeconds: number, extra: object = {}) =>
        verifyMaxInitData(initData, { botToken: BOT_TOKEN, now: at(nowSeconds), ...extra });
      expect((await verify(SIGNED_AT)).auth_date).toEqual(new Date(SIGNED_AT * 1000));
      expect((await verify(SIGNED_AT + 3600 + 30)).user?.id).toBe(7);
      await expect(verify(SIGNED_AT + 3600 + 31)).rejects.toMatchObject({ code: 'EXPIRED', status: 401 });
      await expect(verify(SIGNED_AT + 601, { maxAge: 600, clockSkew: 0 })).rejects.toMatchObject({ code: 'EXPIRED' });
      expect((await verify(SIGNED_AT + 600, { maxAge: 600, clockSkew: 0 })).user?.id).toBe(7);
      // maxAge: 0 turns the check off.
      expect((await verify(SIGNED_AT + 10 * 365 * 86400, { maxAge: 0 })).user?.id).toBe(7);
    });

    it(`in ${unit}: TS_IN_FUTURE beyond clockSkew ahead of the clock`, async () => {
      const initData = await signedAt(authDate);
      const verify = (nowSeconds: number, extra: object = {}) =>
        verifyMaxInitData(initData, { botToken: BOT_TOKEN, now: at(nowSeconds), ...extra });
      expect((await verify(SIGNED_AT - 30)).user?.id).toBe(7);
      await expect(verify(SIGNED_AT - 31)).rejects.toMatchObject({ code: 'TS_IN_FUTURE' });
      await expect(verify(SIGNED_AT - 5, { clockSkew: 0 })).rejects.toMatchObject({ code: 'TS_IN_FUTURE' });
      expect((await verify(SIGNED_AT - 5, { clockSkew: 10 })).user?.id).toBe(7);
    });
  }

  it('is checked only once the hash holds: a forged, expired launch is SIGN_INVALID', async () => {
    const initData = await signedAt(SIGNED_AT);
    const forged = initData.replace('%22id%22%3A7', '%22id%22%3A8');
    await expect(verifyMaxInitData(forged, { botToken: BOT_TOKEN, now: at(SIGNED_AT + 86400) })).rejects.toMatchObject({
      code: 'SIGN_INVALID',
    });
  });

  it('auth_date must be there, even with maxAge: 0, and parseMaxInitData ignores the age', async () => {
    const undated = referenceInitData([['user', '{"id":7,"first_name":"T"}']]);
    await expect(verifyMaxInitData(undated, { botToken: BOT_TOKEN, maxAge: 0 })).rejects.toMatchObject({
      code: 'TS_MISSING',
    });
    expect(() => parseMaxInitData(undated)).toThrow(expect.objectContaining({ code: 'TS_MISSING' }));
    const dated = await signedAt(SIGNED_AT);
    expect(parseMaxInitData(dated).auth_date).toEqual(new Date(SIGNED_AT * 1000));
    // Taking auth_date out of signed data breaks the hash, which covered it.
    const stripped = dated.replace(`auth_date=${SIGNED_AT}&`, '');
    await expect(verifyMaxInitData(stripped, { botToken: BOT_TOKEN, maxAge: 0 })).rejects.toMatchObject({
      code: 'SIGN_INVALID',
    });
  });

  it('defaults to the real clock', async () => {
    const fresh = await signedAt(new Date());
    expect((await verifyMaxInitData(fresh, { botToken: BOT_TOKEN })).user?.id).toBe(7);
    const old = await signedAt(new Date(Date.now() - 2 * 3600 * 1000));
    await expect(verifyMaxInitData(old, { botToken: BOT_TOKEN })).rejects.toMatchObject({ code: 'EXPIRED' });
  });
});
