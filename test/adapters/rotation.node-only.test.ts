// Key rotation as docs/core.md ("Rotating the key") describes it: the core reads
// its options on every call; an adapter keeps the copy it made when created, so
// editing the array afterwards is not seen there (documented, not silent).
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { vkMiniAppAuth } from '../../src/adapters/hono/index.js';
import { verifyLaunchParams } from '../../src/index.js';
import { launch, now, SECRET } from '../helpers.js';

const NEW_SECRET = 'the-new-secure-key';

describe('rotating the key by editing the secret list', () => {
  it('the core uses the edited list at once; an adapter keeps the list it was created with', async () => {
    const secrets = [SECRET];
    const options = { secret: secrets, now };
    const app = new Hono().use(vkMiniAppAuth(options)).get('/', (c) => c.text('ok'));
    const signedWithNew = `Bearer ${await launch({}, NEW_SECRET)}`;

    secrets.push(NEW_SECRET);
    expect((await verifyLaunchParams(signedWithNew, options)).vk_user_id).toBe(494075);
    const response = await app.request('/', { headers: { authorization: signedWithNew } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'SIGN_INVALID' });

    // Created again, the adapter sees the new list.
    const rotated = new Hono().use(vkMiniAppAuth(options)).get('/', (c) => c.text('ok'));
    expect((await rotated.request('/', { headers: { authorization: signedWithNew } })).status).toBe(200);
  });
});
