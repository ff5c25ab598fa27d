// How an adapter given `max` tells MAX init data from VK launch params (isMaxCredential), checked
// against what the two verifiers themselves accept: every form each one takes must be routed to
// it, whatever the values or a URL's fragment hold.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMaxCredential } from '../../src/adapters/common/max-launch.js';
import { verifyLaunchParams } from '../../src/index.js';
import { signMaxInitData, verifyMaxInitData } from '../../src/max.js';
import { base64, launch, NOW_S, now, SECRET } from '../helpers.js';
import { BOT_TOKEN, launchUrl } from '../max/helpers.js';

/** Every form the VK check takes a launch in (src/launch-params/input.ts), with `fragment` after a URL. */
function vkForms(query: string, fragment = '') {
  const url = `https://app.example/path?${query}${fragment}`;
  return [
    query,
    `?${query}`,
    `Bearer ${query}`,
    `VK ${query}`,
    `bearer\t?${query}`,
    url,
    `Bearer ${url}`,
    `\nVK ${url}`,
    base64(`?${query}`),
    `VK ${base64(url)}`,
    base64(query).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
  ];
}

/** Every form the MAX check takes init data in (src/max/input.ts). */
function maxForms(initData: string) {
  const url = launchUrl(initData);
  return [
    initData,
    `tma ${initData}`,
    `MAX ${initData}`,
    `Bearer ${initData}`,
    encodeURIComponent(initData),
    url,
    url.slice(url.indexOf('#')),
    url.slice(url.indexOf('#') + 1),
    `Bearer ${url}`,
    encodeURIComponent(url),
    ` \r\ntma ${initData}`,
  ];
}

describe('isMaxCredential', () => {
  it('routes every VK form to VK, whatever the fragment says (WebAppData included)', async () => {
    const query = await launch({ vk_ref: 'x&hash=1#WebAppData=2' });
    for (const fragment of ['', '#WebAppData=1', '#/p&WebAppData=1', '#hash=abc']) {
      for (const credential of vkForms(query, fragment)) {
        expect(isMaxCredential(credential), credential).toBe(false);
        await expect(verifyLaunchParams(credential, { secret: SECRET, now })).resolves.toBeDefined();
      }
    }
  });

  it('routes every MAX form to MAX, whatever the values hold (&sign=, ?sign=, #)', async () => {
    const photo = 'https://sun9-1.userapi.com/impg/a.jpg?size=200x200&quality=96&sign=0123abcd&type=album#x';
    const initData = await signMaxInitData(
      { user: { id: 5, first_name: 'a&sign=b?sign=c', photo_url: photo }, start_param: 'ref&sign=1', auth_date: NOW_S },
      BOT_TOKEN,
    );
    for (const credential of maxForms(initData)) {
      expect(isMaxCredential(credential), credential).toBe(true);
      await expect(verifyMaxInitData(credential, { botToken: BOT_TOKEN, now })).resolves.toBeDefined();
    }
  });

  it('routes arbitrary Unicode launches of either kind to their own verifier (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 20 }), async (value, fragment) => {
        const query = await launch({ vk_ref: value });
        for (const credential of vkForms(query, `#${encodeURI(fragment)}`)) {
          expect(isMaxCredential(credential), credential).toBe(false);
        }
        const initData = await signMaxInitData(
          { user: { id: 7, first_name: value || 'x' }, start_param: value || undefined, auth_date: NOW_S },
          BOT_TOKEN,
        ).catch(() => undefined); // a value signMaxInitData refuses to write (a line reading as a pair)
        if (initData === undefined) return;
        for (const credential of maxForms(initData)) expect(isMaxCredential(credential), credential).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('sends anything else to the VK check: nothing, non-strings, garbage, oversized text', () => {
    for (const credential of [
      undefined,
      null,
      '',
      42,
      {},
      'garbage',
      'a=1&b=2',
      'VK tma',
      `hash=${'a'.repeat(9000)}`,
    ]) {
      expect(isMaxCredential(credential), String(credential).slice(0, 20)).toBe(false);
    }
    expect(isMaxCredential('tma')).toBe(true);
    expect(isMaxCredential('hash=x&auth_date=1')).toBe(true);
    expect(isMaxCredential('%zz%3D')).toBe(false);
  });
});
