// The shared CreateHash check with bindBody and a body the framework did not keep: it must
// never take a request for a bodiless one unless it knows it is (HTTP/1 without content-length
// or transfer-encoding; HTTP/2, which needs neither, only for GET, HEAD or content-length 0).
import { describe, expect, it } from 'vitest';
import { createCheckCreateHash } from '../../src/adapters/common/create-hash.js';
import { bodyBoundPayload, signCreateHash } from '../../src/index.js';
import { NOW_S, now, SECRET } from '../helpers.js';

type FakeRequest = Record<string, string>;

const vk = { params: { vk_app_id: 6736218, vk_user_id: 494075, sign: 'x' }, user: undefined } as never;

async function signedFor(body: string, headers: FakeRequest): Promise<FakeRequest> {
  const payload = await bodyBoundPayload(body);
  const { sign, ts } = await signCreateHash({ payload, ts: NOW_S }, { secret: SECRET, appId: 6736218, userId: 494075 });
  return { ...headers, 'x-vk-sign': sign, 'x-vk-sign-ts': String(ts), 'x-vk-sign-payload': payload };
}

const check = createCheckCreateHash<FakeRequest>(
  { secret: SECRET, now, bindBody: true },
  (request, name) => request[name],
  () => undefined, // the framework kept no raw body
);

describe('bindBody with no raw body kept', () => {
  it('takes an HTTP/1 request without content-length or transfer-encoding as the empty body', async () => {
    await expect(check(await signedFor('', {}), vk)).resolves.toMatchObject({ ts: NOW_S });
    await expect(check(await signedFor('', { 'content-length': '0' }), vk)).resolves.toBeDefined();
  });

  it('is a server error for an HTTP/1 request that has a body', async () => {
    for (const headers of [{ 'content-length': '18' }, { 'transfer-encoding': 'chunked' }] as FakeRequest[]) {
      const error = await check(await signedFor('', headers), vk).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('Error'); // not a VkAuthError: the app's configuration
      expect((error as Error).message).toMatch(/needs the raw request body/);
    }
  });

  it('over HTTP/2, takes only GET, HEAD or content-length 0 as bodiless: a POST without length is a server error', async () => {
    await expect(check(await signedFor('', { ':method': 'GET' }), vk)).resolves.toBeDefined();
    await expect(check(await signedFor('', { ':method': 'POST', 'content-length': '0' }), vk)).resolves.toBeDefined();
    // A sign made for the empty body must not pass a POST whose body nobody read.
    await expect(check(await signedFor('', { ':method': 'POST' }), vk)).rejects.toThrow(/needs the raw request body/);
  });
});
