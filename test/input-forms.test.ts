import { describe, expect, it } from 'vitest';
import { parseLaunchParams, VkAuthError, verifyLaunchParams } from '../src/index.js';
import { base64, launch, NOW_S, now, rejection, SECRET } from './helpers.js';

const options = { secret: SECRET, now };

describe('every form launch params travel in (docs/protocol.md, "How launch params travel")', async () => {
  const query = await launch();
  const url = `https://app.example/path?${query}#/home?tab=1`;
  const forms: [string, unknown][] = [
    ['a bare query', query],
    ['a ?query', `?${query}`],
    ['a full URL, fragment dropped', url],
    ['Authorization: Bearer <query>', `Bearer ${query}`],
    ['Authorization: bearer (any case) <?query>', `bEaReR ?${query}`],
    ['Authorization: VK <base64 of ?query>', `VK ${base64(`?${query}`)}`],
    [
      'Authorization: vk <base64url, unpadded>',
      `vk ${base64(`?${query}`).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`,
    ],
    ['the Python package token: base64 of the whole URL', base64(url)],
    ['the Python token behind Bearer', `Bearer ${base64(url)}`],
    ['surrounding white space', `  Bearer   ${query}  `],
    ['a tab after the scheme', `BEARER\t${query}`],
    ['a tab after VK', `Vk\t${base64(query)}`],
    ['URLSearchParams', new URLSearchParams(query)],
    ['a plain object such as req.query', Object.fromEntries(new URLSearchParams(query))],
    ['a null-prototype object', Object.assign(Object.create(null), Object.fromEntries(new URLSearchParams(query)))],
  ];

  for (const [name, input] of forms) {
    it(`accepts ${name}`, async () => {
      const params = await verifyLaunchParams(input as string, options);
      expect(params.vk_user_id).toBe(494075);
      expect(params.vk_app_id).toBe(6736218);
    });
  }

  it('accepts params that were parsed by this library (it keeps the raw pairs)', async () => {
    const parsed = parseLaunchParams(query);
    expect((await verifyLaunchParams(parsed, options)).vk_user_id).toBe(494075);
  });

  it('refuses params parsed by this library once a signed field was changed, added or removed', async () => {
    const edits: ((params: Record<string, unknown>) => void)[] = [
      (params) => {
        params.vk_user_id = 1;
      },
      (params) => {
        params.vk_is_app_user = !params.vk_is_app_user;
      },
      (params) => {
        (params.vk_access_token_settings as string[]).push('wall');
      },
      (params) => {
        params.vk_extra = 'x';
      },
      (params) => {
        delete params.vk_platform;
      },
      (params) => {
        params.sign = 'x'.repeat(43);
      },
    ];
    for (const edit of edits) {
      const parsed = parseLaunchParams(query);
      edit(parsed as unknown as Record<string, unknown>);
      expect(await rejection(verifyLaunchParams(parsed, options))).toMatchObject({ code: 'SIGN_INVALID' });
    }
    // Fields outside the signature may be added: they are dropped from the result.
    const annotated = Object.assign(parseLaunchParams(query), { userRecordId: 7 });
    expect(await verifyLaunchParams(annotated, options)).not.toHaveProperty('userRecordId');
  });

  it('ignores parameters that are not vk_* (they are not signed)', async () => {
    const params = await verifyLaunchParams(`odr_enabled=1&${query}&utm_source=feed`, options);
    expect(params).not.toHaveProperty('odr_enabled');
    expect(params).not.toHaveProperty('utm_source');
  });

  it('takes the query of a hash-routed URL from before the fragment', async () => {
    const params = await verifyLaunchParams(`https://app.example/?${query}#/page?vk_user_id=1`, options);
    expect(params.vk_user_id).toBe(494075);
  });
});

describe('typed LaunchParams (docs/protocol.md, "Launch parameters")', async () => {
  it('converts documented fields to real types and keeps unknown vk_* keys as strings', async () => {
    const query = await launch({
      vk_group_id: 42,
      vk_viewer_group_role: 'admin',
      vk_experiment: '{"950":0}',
      vk_chat_id: '2000000001',
    });
    const params = await verifyLaunchParams(query, options);
    expect(params).toMatchObject({
      vk_user_id: 494075,
      vk_app_id: 6736218,
      vk_ts: NOW_S,
      vk_is_app_user: true,
      vk_are_notifications_enabled: false,
      vk_is_favorite: false,
      vk_access_token_settings: ['friends', 'photos'],
      vk_language: 'ru',
      vk_platform: 'mobile_android',
      vk_group_id: 42,
      vk_viewer_group_role: 'admin',
      vk_experiment: '{"950":0}',
      vk_chat_id: '2000000001',
    });
  });

  it('accepts enum values VK adds later', async () => {
    const query = await launch({ vk_platform: 'mobile_vision_pro', vk_language: 'eo', vk_ref: 'brand_new_place' });
    const params = await verifyLaunchParams(query, options);
    expect(params.vk_platform).toBe('mobile_vision_pro');
    expect(params.vk_language).toBe('eo');
  });

  it('reads an empty vk_access_token_settings as no scopes', async () => {
    const params = await verifyLaunchParams(await launch({ vk_access_token_settings: '' }), options);
    expect(params.vk_access_token_settings).toEqual([]);
    const odd = await verifyLaunchParams(await launch({ vk_access_token_settings: ',friends,,' }), options);
    expect(odd.vk_access_token_settings).toEqual(['', 'friends', '', '']); // as ",friends,,".split(',')
  });

  it('keeps only vk_* keys and sign, and serialises to plain JSON', async () => {
    const params = await verifyLaunchParams(`x=1&${await launch()}`, options);
    for (const key of Object.keys(params)) expect(key === 'sign' || key.startsWith('vk_')).toBe(true);
    expect(JSON.parse(JSON.stringify(params))).toEqual({ ...params });
  });

  it('parseLaunchParams does no signature check, but refuses what is not launch params', () => {
    expect(parseLaunchParams('vk_user_id=1&vk_app_id=2&sign=whatever').vk_user_id).toBe(1);
    const error = (() => {
      try {
        parseLaunchParams('vk_app_id=2&sign=x');
      } catch (e) {
        return e;
      }
    })();
    expect(VkAuthError.is(error, 'USER_ID_MISSING')).toBe(true);
  });

  it('reports a typed field VK never sends in that shape as MALFORMED', async () => {
    const error = await rejection(verifyLaunchParams(await launch({ vk_is_app_user: 'yes' }), options));
    expect(VkAuthError.is(error, 'MALFORMED')).toBe(true);
  });
});
