// Body-bound CreateHash end to end, on both crypto back ends: createVkFetch({ createHash })
// signs each request's body; a real Hono app guards its routes with
// requireCreateHash({ bindBody: true }) and a memory replay store.
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { requireCreateHash, vkMiniAppAuth } from '../src/adapters/hono/index.js';
import { createVkFetch, type VkFetch } from '../src/client.js';
import { bodyBoundPayload, signCreateHash } from '../src/index.js';
import { createMemoryReplayStore, type ReplayStore } from '../src/replay.js';
import { launch, NOW_MS, NOW_S, SECRET } from './helpers.js';

const ORIGIN = 'https://app.example';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A back end whose POST /api/transfer needs a sign bound to its body; what the handler read is echoed. */
function backEnd(replay?: ReplayStore) {
  const app = new Hono()
    .use('/api/*', vkMiniAppAuth({ secret: SECRET, now: () => NOW_MS }))
    .post(
      '/api/transfer',
      requireCreateHash({ secret: SECRET, now: () => NOW_MS, bindBody: true, ...(replay && { replay }) }),
      async (c) => c.json({ body: await c.req.text() }),
    );
  const seen: Request[] = [];
  const fetch: VkFetch = async (input, init) => {
    const request =
      input instanceof Request ? new Request(input, init) : new Request(new URL(String(input), ORIGIN), init);
    seen.push(request.clone());
    return app.fetch(request);
  };
  return { fetch, seen };
}

/** The bridge, as VK would answer VKWebAppCreateHash for the launch user (signed with the app's secret). */
const bridgeCreateHash = (payload: string) =>
  signCreateHash({ payload, ts: NOW_S }, { secret: SECRET, appId: 6736218, userId: 494075 });

async function onPage(server: ReturnType<typeof backEnd>, createHash = bridgeCreateHash) {
  vi.stubGlobal('location', new URL(`${ORIGIN}/?${await launch()}`));
  return createVkFetch({ fetch: server.fetch, createHash });
}

describe('requireCreateHash({ bindBody: true }) with createVkFetch({ createHash })', () => {
  it('lets in a request whose sign commits to its exact body, in every body form fetch takes', async () => {
    const server = backEnd();
    const vkFetch = await onPage(server);
    const text = JSON.stringify({ to: 1, amount: 100, note: 'привет' });
    for (const body of [
      text,
      new TextEncoder().encode(text),
      new TextEncoder().encode(text).buffer,
      new Blob([text]),
      new URLSearchParams({ to: '1', amount: '100' }),
    ]) {
      const response = await vkFetch('/api/transfer', { method: 'POST', body });
      expect(response.status, String(body)).toBe(200);
    }
    const request = new Request(`${ORIGIN}/api/transfer`, { method: 'POST', body: text });
    expect((await vkFetch(request)).status).toBe(200);
    const sent = server.seen.at(-1) as Request;
    expect(sent.headers.get('x-vk-sign-payload')).toMatch(/^body_sha256=[0-9a-f]{64};nonce=[0-9a-f]{32}$/);
    expect(await sent.text()).toBe(text);
  });

  it('refuses a body changed after signing, a payload of another shape, and a sign for another payload', async () => {
    const server = backEnd();
    // A "proxy" that swaps the body after the page signed it.
    const tampering: VkFetch = (input, init) => server.fetch(input, { ...init, body: '{"to":666,"amount":100000}' });
    vi.stubGlobal('location', new URL(`${ORIGIN}/?${await launch()}`));
    const swapped = createVkFetch({ fetch: tampering, createHash: bridgeCreateHash });
    const response = await swapped('/api/transfer', { method: 'POST', body: '{"to":1,"amount":100}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'CREATE_HASH_INVALID' });

    const query = await launch();
    const send = async (payload: string, body: string) => {
      const { sign, ts } = await bridgeCreateHash(payload);
      return server.fetch('/api/transfer', {
        method: 'POST',
        body,
        headers: {
          authorization: `Bearer ${query}`,
          'x-vk-sign': sign,
          'x-vk-sign-ts': String(ts),
          'x-vk-sign-payload': payload,
        },
      });
    };
    for (const payload of [
      'order-42',
      'body_sha256=abc;nonce=0123456789abcdef',
      `body_sha256=${'0'.repeat(64)};nonce=x`,
    ]) {
      const refused = await send(payload, 'x');
      expect(refused.status, payload).toBe(401);
      expect(await refused.json()).toMatchObject({ error: 'CREATE_HASH_INVALID' });
    }
    // The core's helper makes a payload the guard accepts, for clients other than the browser helper.
    expect((await send(await bodyBoundPayload('x'), 'x')).status).toBe(200);
    expect((await send(await bodyBoundPayload(''), '')).status).toBe(200);
  });

  it('refuses a FormData or a stream body before anything is sent', async () => {
    const server = backEnd();
    const vkFetch = await onPage(server);
    const form = new FormData();
    form.set('a', '1');
    await expect(vkFetch('/api/transfer', { method: 'POST', body: form })).rejects.toThrow(TypeError);
    expect(server.seen).toHaveLength(0);
  });

  it('signs nothing for GET, or when the caller set X-VK-Sign', async () => {
    let payloads = 0;
    const server = backEnd();
    const vkFetch = await onPage(server, (payload) => {
      payloads++;
      return bridgeCreateHash(payload);
    });
    await vkFetch('/api/transfer');
    await vkFetch('/api/transfer', { method: 'POST', body: 'x', headers: { 'X-VK-Sign': 'mine' } });
    expect(payloads).toBe(0);
    expect(server.seen[1]?.headers.get('x-vk-sign')).toBe('mine');
  });
});

describe('requireCreateHash({ replay })', () => {
  it('accepts each sign once: a resent request is refused with CREATE_HASH_REPLAYED', async () => {
    const server = backEnd(createMemoryReplayStore({ now: () => NOW_MS }));
    const vkFetch = await onPage(server);
    expect((await vkFetch('/api/transfer', { method: 'POST', body: 'pay' })).status).toBe(200);
    expect((await vkFetch('/api/transfer', { method: 'POST', body: 'pay' })).status).toBe(200); // a new nonce, a new sign
    const resent = await server.fetch(server.seen[0] as Request);
    expect(resent.status).toBe(401);
    expect(await resent.json()).toMatchObject({ error: 'CREATE_HASH_REPLAYED' });
  });

  it('does not spend a sign on a request refused for another reason', async () => {
    const server = backEnd(createMemoryReplayStore({ now: () => NOW_MS }));
    const query = await launch();
    const payload = await bodyBoundPayload('the body');
    const { sign, ts } = await bridgeCreateHash(payload);
    const headers = {
      authorization: `Bearer ${query}`,
      'x-vk-sign': sign,
      'x-vk-sign-ts': String(ts),
      'x-vk-sign-payload': payload,
    };
    expect((await server.fetch('/api/transfer', { method: 'POST', body: 'another body', headers })).status).toBe(401);
    expect((await server.fetch('/api/transfer', { method: 'POST', body: 'the body', headers })).status).toBe(200);
    expect((await server.fetch('/api/transfer', { method: 'POST', body: 'the body', headers })).status).toBe(401);
  });

  it('a store that cannot answer is a server error, never an accepted replay', async () => {
    const down: ReplayStore = { claim: () => Promise.reject(new Error('connection refused')) };
    const server = backEnd(down);
    const vkFetch = await onPage(server);
    const response = await vkFetch('/api/transfer', { method: 'POST', body: 'pay' });
    expect(response.status).toBe(500);
  });

  it('needs a maxAge above 0, and a store', () => {
    expect(() =>
      requireCreateHash({ secret: SECRET, payload: () => 'x', replay: createMemoryReplayStore(), maxAge: 0 }),
    ).toThrow(/replay needs a maxAge/);
    expect(() => requireCreateHash({ secret: SECRET, payload: () => 'x', replay: {} as ReplayStore })).toThrow(
      /options\.replay/,
    );
    expect(() => requireCreateHash({ secret: SECRET, bindBody: 'yes' as never })).toThrow(/bindBody/);
    expect(() => requireCreateHash({ secret: SECRET })).toThrow(/options\.payload/);
  });
});
