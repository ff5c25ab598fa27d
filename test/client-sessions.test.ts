// createVkFetch with a back end that has sessions on: a real Hono app with the
// adapter's `session` option, called through its fetch handler (on both crypto
// back ends). The page keeps the newest VK-Session, sends it instead of the
// launch params, and falls back to them once when the session is refused.
import { Hono } from 'hono';
import { decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { vkMiniAppAuth } from '../src/adapters/hono/index.js';
import { createVkFetch, type VkFetch } from '../src/client.js';
import { launch, NOW_MS, SECRET } from './helpers.js';

const SESSION_SECRET = 'a-session-key-for-tests-32-chars-long!';
const ORIGIN = 'https://app.example';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A back end whose clock is `clock.ms`, recording the Authorization of every request it got. */
function backEnd(clock: { ms: number }, sessionSecret: string | null = SESSION_SECRET) {
  const authorizations: string[] = [];
  const auth = vkMiniAppAuth({
    secret: SECRET,
    now: () => clock.ms,
    ...(sessionSecret === null ? {} : { session: { secret: sessionSecret } }),
  });
  const app = new Hono().use('*', async (c, next) => {
    authorizations.push(c.req.header('authorization') ?? '');
    await next();
  });
  app.all('/api/denied', auth, (c) => c.json({ error: 'NOT_YOURS' }, 401));
  app.all('/api/me', auth, async (c) => c.json({ id: c.get('vk').params.vk_user_id, body: await c.req.text() }));
  const fetch: VkFetch = async (input, init) =>
    app.fetch(
      new Request(
        new URL(String(input instanceof Request ? input.url : input), ORIGIN),
        input instanceof Request ? new Request(input, init) : init,
      ),
    );
  return { authorizations, fetch };
}

async function onPage(server: ReturnType<typeof backEnd>, options: Parameters<typeof createVkFetch>[0] = {}) {
  const query = await launch();
  vi.stubGlobal('location', new URL(`${ORIGIN}/?${query}`));
  return { query, vkFetch: createVkFetch({ fetch: server.fetch, ...options }) };
}

const isSessionHeader = (authorization: string | undefined) =>
  /^Bearer eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(authorization ?? '');

describe('createVkFetch with sessions', () => {
  it('sends the launch params first, then the session token the API sent, and stays in past the launch’s hour', async () => {
    const clock = { ms: NOW_MS };
    const server = backEnd(clock);
    const { query, vkFetch } = await onPage(server);
    expect((await vkFetch('/api/me')).status).toBe(200);
    expect(server.authorizations[0]).toBe(`Bearer ${query}`);
    for (let minute = 10; minute <= 120; minute += 10) {
      clock.ms = NOW_MS + minute * 60_000;
      const response = await vkFetch('/api/me');
      expect(response.status, `${minute} min`).toBe(200);
      expect(await response.json()).toMatchObject({ id: 494075 });
    }
    expect(server.authorizations.slice(1).every(isSessionHeader)).toBe(true);
    expect(decodeJwt((server.authorizations.at(-1) as string).slice(7)).iat).toBeGreaterThan(NOW_MS / 1000 + 3600);
  });

  it('falls back to the launch params once when the session is refused, then uses the new token', async () => {
    const clock = { ms: NOW_MS };
    let server = backEnd(clock);
    const query = await launch();
    vi.stubGlobal('location', new URL(`${ORIGIN}/?${query}`));
    const vkFetch = createVkFetch({ fetch: (input, init) => server.fetch(input, init) });
    await vkFetch('/api/me');
    await vkFetch('/api/me');
    expect(isSessionHeader(server.authorizations[1])).toBe(true);
    // The back end's session key changed: the page's token is refused.
    server = backEnd(clock, 'another-session-key-for-tests-32-chars');
    const response = await vkFetch('/api/me', { method: 'POST', body: 'payload' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 494075, body: 'payload' }); // the body, sent again
    expect(isSessionHeader(server.authorizations[0])).toBe(true); // refused
    expect(server.authorizations[1]).toBe(`Bearer ${query}`); // the one retry
    await vkFetch('/api/me');
    expect(isSessionHeader(server.authorizations[2])).toBe(true); // the new key's token
    expect(server.authorizations).toHaveLength(3);
  });

  it('retries a refused Request with its body, but not a streamed body, and only once', async () => {
    const clock = { ms: NOW_MS };
    const server = backEnd(clock);
    const { vkFetch } = await onPage(server);
    await vkFetch('/api/me');
    clock.ms = NOW_MS + 2 * 86400_000; // past maxLifetime and the launch's maxAge: everything is refused
    const refused = await vkFetch(new Request(`${ORIGIN}/api/me`, { method: 'POST', body: 'x' }));
    expect(refused.status).toBe(401);
    const count = server.authorizations.length;
    clock.ms = NOW_MS;
    await vkFetch('/api/me'); // a new session
    clock.ms = NOW_MS + 2 * 86400_000;
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('x'));
        controller.close();
      },
    });
    const streamed = await vkFetch('/api/me', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(401);
    expect(server.authorizations.length).toBe(count + 2); // the new session's request, the stream's one try
  });

  it('keeps the newest token when answers arrive out of order', async () => {
    /** A token-shaped value with this `iat`: the page reads only that, the back end checks the rest. */
    const tokenAt = (iat: number) =>
      `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ iat })).toString('base64url')}.c2ln`;
    const sent: (string | null)[] = [];
    const answers: ((response: Response) => void)[] = [];
    const query = await launch();
    vi.stubGlobal('location', new URL(`${ORIGIN}/?${query}`));
    const vkFetch = createVkFetch({
      fetch: (_input, init) => {
        sent.push(new Headers(init?.headers).get('authorization'));
        return new Promise((resolve) => answers.push(resolve));
      },
    });
    const first = vkFetch('/api/me');
    const second = vkFetch('/api/me');
    await Promise.resolve();
    answers[1]?.(new Response('', { headers: { 'VK-Session': tokenAt(200) } }));
    await second;
    answers[0]?.(new Response('', { headers: { 'VK-Session': tokenAt(100) } })); // issued earlier, arriving last
    await first;
    const third = vkFetch('/api/me');
    answers[2]?.(new Response(''));
    await third;
    expect(sent).toEqual([`Bearer ${query}`, `Bearer ${query}`, `Bearer ${tokenAt(200)}`]);
  });

  it('with sessions: false, always sends the launch params', async () => {
    const clock = { ms: NOW_MS };
    const server = backEnd(clock);
    const { query, vkFetch } = await onPage(server, { sessions: false });
    await vkFetch('/api/me');
    await vkFetch('/api/me');
    expect(server.authorizations).toEqual([`Bearer ${query}`, `Bearer ${query}`]);
  });

  it('changes nothing against a back end without sessions', async () => {
    const server = backEnd({ ms: NOW_MS }, null);
    const { query, vkFetch } = await onPage(server);
    await vkFetch('/api/me');
    await vkFetch('/api/me');
    expect(server.authorizations).toEqual([`Bearer ${query}`, `Bearer ${query}`]);
  });

  it('a 401 the handler answers itself is no session refusal: not sent again, and the session is kept', async () => {
    const clock = { ms: NOW_MS };
    const server = backEnd(clock);
    const { vkFetch } = await onPage(server);
    await vkFetch('/api/me');
    const denied = await vkFetch('/api/denied', { method: 'POST', body: 'once' });
    expect(denied.status).toBe(401);
    expect(server.authorizations).toHaveLength(2); // not retried: the handler ran once
    await vkFetch('/api/me');
    expect(isSessionHeader(server.authorizations[2])).toBe(true);
  });

  it('falls back on a refusal in any adapter’s body shape (`code`, as Fastify and NestJS send it)', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjF9.c2ln';
    const sent: (string | null)[] = [];
    const query = await launch();
    vi.stubGlobal('location', new URL(`${ORIGIN}/?${query}`));
    const vkFetch = createVkFetch({
      fetch: async (_input, init) => {
        const authorization = new Headers(init?.headers).get('authorization');
        sent.push(authorization);
        if (authorization === `Bearer ${token}`) {
          return Response.json({ statusCode: 401, code: 'SESSION_EXPIRED', error: 'Unauthorized' }, { status: 401 });
        }
        return new Response('', { headers: { 'VK-Session': token } });
      },
    });
    await vkFetch('/api/me');
    expect((await vkFetch('/api/me')).status).toBe(200);
    expect(sent).toEqual([`Bearer ${query}`, `Bearer ${token}`, `Bearer ${query}`]);
  });

  it('takes no token from a response that came from another origin (a redirect)', async () => {
    const planted = 'eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjk5OTk5OTk5OTl9.c2ln';
    const query = await launch();
    vi.stubGlobal('location', new URL(`${ORIGIN}/?${query}`));
    const sent: (string | null)[] = [];
    const vkFetch = createVkFetch({
      fetch: async (_input, init) => {
        sent.push(new Headers(init?.headers).get('authorization'));
        const response = new Response('', { headers: { 'VK-Session': planted } });
        Object.defineProperty(response, 'url', { value: 'https://evil.example/landing' });
        return response;
      },
    });
    await vkFetch('/api/me');
    await vkFetch('/api/me');
    expect(sent).toEqual([`Bearer ${query}`, `Bearer ${query}`]);
  });
});
