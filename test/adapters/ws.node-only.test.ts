// vk-miniapp-auth/ws against a real Node HTTP server whose `upgrade` handler is the one the
// docs show (createUpgradeAuth, refuseUpgrade, WebSocketServer({ noServer: true })), and the
// real `ws` client over loopback: what the client sees (open and a message round trip, or the
// HTTP answer of a refused handshake), and what the server computed (expiresAt).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { MaxLaunch, VkLaunch } from '../../src/adapters/common/context.js';
import {
  createUpgradeAuth,
  refuseUpgrade,
  type UpgradeAuthOptions,
  type VkUpgradeContext,
} from '../../src/adapters/ws/index.js';
import { type LaunchParams, VkAuthError, verifyLaunchParams } from '../../src/index.js';
import { type MaxInitDataToSign, signMaxInitData } from '../../src/max.js';
import { issueSessionToken } from '../../src/session.js';
import { launch, NOW_MS, NOW_S, now, rejection, SECRET } from '../helpers.js';
import { BOT_TOKEN } from '../max/helpers.js';
import { BAD_OPTIONS, CHALLENGE, CHALLENGE_NO_CREDENTIALS, type User, users } from './fixtures.js';

const SESSION_SECRET = 'a-session-key-for-the-ws-tests-32-chars';

type Outcome =
  | { open: true; reply: unknown }
  | { status: number; headers: IncomingMessage['headers']; body: string }
  | { error: string };

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * An HTTP server whose `upgrade` handler verifies with createUpgradeAuth, refuses with
 * refuseUpgrade, and hands what it lets in to a `noServer` WebSocketServer, which answers
 * every message with the user it was let in as. `contexts` records what createUpgradeAuth
 * resolved to.
 */
async function start(
  options: Partial<UpgradeAuthOptions<User | undefined>> | Partial<UpgradeAuthOptions<User | undefined, true>>,
) {
  const authenticate = createUpgradeAuth({ secret: SECRET, now, ...options } as UpgradeAuthOptions<User | undefined>);
  // Typed as without `max`: the tests with it read the MAX contexts through anyPlatform.
  const contexts: (VkUpgradeContext<User | undefined> | null)[] = [];
  const server = createServer();
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    socket.on('error', () => socket.destroy());
    authenticate(request).then(
      (vk) => {
        contexts.push(vk);
        wss.handleUpgrade(request, socket, head, (ws) => {
          ws.on('message', (message) => {
            ws.send(
              JSON.stringify({ echo: String(message), vkUserId: vk?.params?.vk_user_id ?? null, user: vk?.user }),
            );
          });
        });
      },
      (error: unknown) => refuseUpgrade(socket, error),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sockets = new Set<WebSocket>();
  closers.push(async () => {
    for (const ws of sockets) ws.terminate();
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(resolve));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;

  /** Opens a WebSocket to `path` and says how it went: open, and the reply to a message; or the refusal. */
  function open(path = '/', headers: Record<string, string> = {}, protocols: string[] = []): Promise<Outcome> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols, { headers });
    sockets.add(ws);
    return new Promise((resolve) => {
      ws.once('open', () => {
        ws.once('message', (data) => resolve({ open: true, reply: JSON.parse(String(data)) }));
        ws.send('ping');
      });
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      });
      ws.once('error', (error) => resolve({ error: error.message }));
    });
  }

  return { open, contexts };
}

/** The refusal verification itself gives for `credential`. */
async function refusalOf(credential: string | undefined): Promise<VkAuthError> {
  const error = await rejection(verifyLaunchParams(credential, { secret: SECRET, now }));
  if (!(error instanceof VkAuthError)) throw error;
  return error;
}

async function sessionToken(overrides: Record<string, number> = {}, session: object = {}): Promise<string> {
  const params = await verifyLaunchParams(await launch(overrides), { secret: SECRET, now });
  return issueSessionToken(params, { secret: SESSION_SECRET, now, ...session });
}

const resolveUser = (params: LaunchParams) => users.getOrCreate(params.vk_user_id);

describe('vk-miniapp-auth/ws', () => {
  it('opens a connection for a launch in Authorization: a message round trip names its user', async () => {
    const { open, contexts } = await start({ resolveUser });
    expect(await open('/', { Authorization: `Bearer ${await launch()}` })).toEqual({
      open: true,
      reply: { echo: 'ping', vkUserId: 494075, user: { id: 494075, name: 'user 494075' } },
    });
    expect(contexts).toHaveLength(1);
    expect(contexts[0]?.params.vk_platform).toBe('mobile_android');
    // vk_ts + maxAge (3600) + clockSkew (30), in ms.
    expect(contexts[0]?.expiresAt).toBe((NOW_S + 3630) * 1000);
  });

  it('opens a connection for a launch in the URL’s token parameter, as a browser must send it', async () => {
    const { open } = await start({ resolveUser });
    const token = encodeURIComponent(await launch({ vk_user_id: 77 }));
    expect(await open(`/live?room=1&token=${token}`)).toMatchObject({ open: true, reply: { vkUserId: 77 } });
  });

  it('prefers the Authorization header to the URL', async () => {
    const { open } = await start({});
    const fromHeader = await launch({ vk_user_id: 1 });
    const fromUrl = encodeURIComponent(await launch({ vk_user_id: 2 }));
    expect(await open(`/?token=${fromUrl}`, { Authorization: fromHeader })).toMatchObject({ reply: { vkUserId: 1 } });
  });

  const refused: [string, () => Promise<{ path?: string; authorization?: string }>, string, string | undefined][] = [
    ['no credential at all', async () => ({}), 'MISSING_CREDENTIALS', undefined],
    [
      'a bad sign',
      async () => ({ authorization: (await launch()).replace('vk_user_id=494075', 'vk_user_id=1') }),
      'SIGN_INVALID',
      '',
    ],
    ['an expired launch', async () => ({ authorization: await launch({ vk_ts: NOW_S - 7200 }) }), 'EXPIRED', ''],
    ['garbage in the URL', async () => ({ path: '/?token=garbage' }), 'MALFORMED', 'garbage'],
    [
      'a credential over 8 KiB',
      async () => ({ authorization: `${await launch()}&x=${'a'.repeat(10_000)}` }),
      'TOO_LARGE',
      '',
    ],
  ];

  it.each(refused)(
    'refuses %s: 401, WWW-Authenticate and the JSON body, no connection',
    async (_name, make, code, asIs) => {
      const { open, contexts } = await start({ resolveUser });
      const { path, authorization } = await make();
      const outcome = await open(path, authorization === undefined ? {} : { Authorization: authorization });
      const expected = await refusalOf(asIs === '' ? authorization : asIs);
      expect(expected.code).toBe(code);
      expect(outcome).toEqual({ status: 401, headers: expect.any(Object), body: expect.any(String) });
      const { headers, body } = outcome as { headers: IncomingMessage['headers']; body: string };
      expect(headers['www-authenticate']).toBe(code === 'MISSING_CREDENTIALS' ? CHALLENGE_NO_CREDENTIALS : CHALLENGE);
      expect(headers['content-type']).toBe('application/json; charset=utf-8');
      expect(headers.connection).toBe('close');
      expect(JSON.parse(body)).toEqual({ error: code, message: expected.message });
      expect(body).not.toContain(SECRET);
      expect(contexts).toEqual([]);
    },
  );

  it('refuses a URL with two token parameters with DUPLICATE_PARAM', async () => {
    const { open } = await start({});
    const token = encodeURIComponent(await launch());
    const outcome = await open(`/?token=${token}&token=${token}`);
    expect(outcome).toMatchObject({ status: 401 });
    expect(JSON.parse((outcome as { body: string }).body)).toMatchObject({ error: 'DUPLICATE_PARAM' });
  });

  it('refuses a user resolveUser turns away with USER_REJECTED', async () => {
    const { open } = await start({ resolveUser: () => false as const });
    const outcome = await open('/', { Authorization: await launch() });
    expect(outcome).toMatchObject({ status: 401 });
    expect(JSON.parse((outcome as { body: string }).body)).toEqual({
      error: 'USER_REJECTED',
      message: 'The launch params are valid, but this user is not allowed in.',
    });
  });

  it('answers a bare 500 when resolveUser fails, saying nothing of the error', async () => {
    const { open, contexts } = await start({
      resolveUser: async () => {
        throw new Error('connect ECONNREFUSED db.internal:5432');
      },
    });
    const outcome = await open('/', { Authorization: await launch() });
    expect(outcome).toEqual({ status: 500, headers: expect.any(Object), body: '' });
    const { headers } = outcome as { headers: IncomingMessage['headers'] };
    expect(headers['www-authenticate']).toBeUndefined();
    expect(headers['content-length']).toBe('0');
    expect(contexts).toEqual([]);
  });

  describe('with sessions', () => {
    const session = { secret: SESSION_SECRET };

    it('opens a connection for a session token, in the header or the URL', async () => {
      const { open, contexts } = await start({ session, resolveUser });
      const token = await sessionToken({ vk_user_id: 9 });
      expect(await open('/', { Authorization: `Bearer ${token}` })).toMatchObject({ reply: { vkUserId: 9 } });
      expect(await open(`/?token=${token}`)).toMatchObject({ reply: { vkUserId: 9 } });
      // The token's exp (issued at NOW_S, ttl 900) plus the session's clockSkew (30).
      expect(contexts.map((vk) => vk?.expiresAt)).toEqual([(NOW_S + 930) * 1000, (NOW_S + 930) * 1000]);
      expect(contexts[0]?.session).toBeUndefined();
    });

    it('can take the token from the subprotocols instead of the URL, as docs/realtime.md shows', async () => {
      const { open } = await start({
        session,
        // The docs' getCredentials: the protocol after `vk-session`.
        getCredentials: (request) => {
          const offered = request.headers['sec-websocket-protocol']?.split(',').map((name) => name.trim()) ?? [];
          return offered[0] === 'vk-session' ? offered[1] : undefined;
        },
      });
      const token = await sessionToken({ vk_user_id: 11 });
      expect(await open('/', {}, ['vk-session', token])).toMatchObject({ reply: { vkUserId: 11 } });
      const refused = await open('/', {}, ['vk-session']);
      expect(refused).toMatchObject({ status: 401 });
      expect(JSON.parse((refused as { body: string }).body)).toMatchObject({ error: 'MISSING_CREDENTIALS' });
    });

    it('counts the session’s own clockSkew and ttl, not the launch’s maxAge', async () => {
      const custom = { secret: SESSION_SECRET, ttl: 60, clockSkew: 5 };
      const { open, contexts } = await start({ session: custom, maxAge: 10, clockSkew: 1 });
      const token = await sessionToken({}, custom);
      expect(await open('/', { Authorization: token })).toMatchObject({ open: true });
      expect(contexts[0]?.expiresAt).toBe((NOW_S + 65) * 1000);
    });

    it('issues a session token for a launch, and the launch still sets expiresAt', async () => {
      const { open, contexts } = await start({ session });
      expect(await open('/', { Authorization: await launch() })).toMatchObject({ open: true });
      expect(contexts[0]?.session).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(contexts[0]?.expiresAt).toBe((NOW_S + 3630) * 1000);
    });

    it('refuses an expired session token with SESSION_EXPIRED', async () => {
      const token = await sessionToken();
      const { open } = await start({ session, now: () => NOW_MS + 3_600_000 });
      const outcome = await open('/', { Authorization: `Bearer ${token}` });
      expect(outcome).toMatchObject({ status: 401 });
      expect(JSON.parse((outcome as { body: string }).body)).toMatchObject({ error: 'SESSION_EXPIRED' });
    });
  });

  it('sets no expiresAt for a launch that never expires (maxAge: 0)', async () => {
    const { open, contexts } = await start({ maxAge: 0 });
    expect(await open('/', { Authorization: await launch({ vk_ts: NOW_S - 86400 * 30 }) })).toMatchObject({
      open: true,
    });
    expect(contexts[0]?.expiresAt).toBeUndefined();
  });

  it('resolves to null for an upgrade without credentials with `optional: true`', async () => {
    const { open, contexts } = await start({ optional: true });
    expect(await open('/')).toEqual({ open: true, reply: { echo: 'ping', vkUserId: null } });
    expect(contexts).toEqual([null]);
    expect(await open('/?token=garbage')).toMatchObject({ status: 401 });
  });

  describe('with max: MAX launches beside VK ones', () => {
    const MAX_USER = { id: 67890, first_name: 'Max' };
    const max = { botToken: BOT_TOKEN, maxAge: 600, clockSkew: 0 };
    const anyPlatform = (contexts: unknown[]) => contexts as (VkUpgradeContext<unknown, true> | null)[];
    const maxInitData = (data: MaxInitDataToSign = {}) =>
      signMaxInitData({ user: MAX_USER, auth_date: NOW_S - 10, ...data }, BOT_TOKEN);

    it('opens a connection for MAX init data, in Authorization (tma) or the URL, with expiresAt from auth_date', async () => {
      const { open, contexts } = await start({ max });
      const initData = await maxInitData();
      expect(await open('/', { Authorization: `tma ${initData}` })).toMatchObject({ open: true });
      expect(await open(`/?token=${encodeURIComponent(initData)}`)).toMatchObject({ open: true });
      expect(await open('/', { Authorization: await launch() })).toMatchObject({ open: true });
      expect(anyPlatform(contexts).map((vk) => vk && [vk.platform, vk.userId, vk.expiresAt])).toEqual([
        ['max', MAX_USER.id, (NOW_S - 10 + 600) * 1000],
        ['max', MAX_USER.id, (NOW_S - 10 + 600) * 1000],
        ['vk', 494075, (NOW_S + 3600 + 30) * 1000],
      ]);
      const [first] = anyPlatform(contexts);
      expect(first?.platform === 'max' && first.max.user).toEqual(MAX_USER);
    });

    it('refuses bad MAX init data with the 401 of every adapter', async () => {
      const { open, contexts } = await start({ max });
      for (const [authorization, code] of [
        [`tma ${(await maxInitData()).replace('Max', 'Mix')}`, 'SIGN_INVALID'],
        [`tma ${await maxInitData({ auth_date: NOW_S - 3600 })}`, 'EXPIRED'],
        [`max ${await maxInitData({ user: undefined })}`, 'USER_ID_MISSING'],
      ] as const) {
        const outcome = await open('/', { Authorization: authorization });
        expect(outcome).toMatchObject({ status: 401 });
        expect(JSON.parse((outcome as { body: string }).body)).toMatchObject({ error: code });
      }
      expect(contexts).toEqual([]);
    });

    it('types the context as VK or MAX with max', () => {
      const any = createUpgradeAuth({
        secret: SECRET,
        max,
        resolveUser: (params, _request, launch) => {
          expectTypeOf(params).toEqualTypeOf<LaunchParams | undefined>();
          expectTypeOf(launch).toEqualTypeOf<VkLaunch | MaxLaunch>();
          return { key: `${launch.platform}:${launch.userId}` };
        },
      });
      expectTypeOf(any).returns.resolves.toEqualTypeOf<VkUpgradeContext<{ key: string }, true>>();
      // @ts-expect-error with max, params is undefined for a MAX launch
      createUpgradeAuth({ secret: SECRET, max, resolveUser: (params) => params.vk_user_id });
      createUpgradeAuth({
        secret: SECRET,
        resolveUser: (params) => expectTypeOf(params).toEqualTypeOf<LaunchParams>(),
      });
    });
  });

  it('refuses bad options when it is created, naming the option', () => {
    for (const [options, message] of BAD_OPTIONS.filter(([options]) => !('onError' in Object(options)))) {
      expect(() => createUpgradeAuth(options as UpgradeAuthOptions)).toThrow(message);
    }
  });

  it('types the context from resolveUser and optional', () => {
    const strict = createUpgradeAuth({ secret: SECRET, resolveUser });
    expectTypeOf(strict).returns.resolves.toEqualTypeOf<VkUpgradeContext<User>>();
    const optional = createUpgradeAuth({ secret: SECRET, optional: true });
    expectTypeOf(optional).returns.resolves.toEqualTypeOf<VkUpgradeContext | null>();
  });
});

describe('refuseUpgrade', () => {
  /** A socket that records what is written to it. */
  function recordingSocket() {
    const chunks: Buffer[] = [];
    const socket = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    return { socket, closed, written: () => Buffer.concat(chunks).toString('utf8') };
  }

  it('writes a complete 401 for a refusal, then destroys the socket', async () => {
    const { socket, closed, written } = recordingSocket();
    refuseUpgrade(socket, new VkAuthError('EXPIRED', 'Relaunch the app, «пожалуйста».'));
    await closed;
    const body = '{"error":"EXPIRED","message":"Relaunch the app, «пожалуйста»."}';
    expect(written()).toBe(
      'HTTP/1.1 401 Unauthorized\r\n' +
        'Connection: close\r\n' +
        'Content-Type: application/json; charset=utf-8\r\n' +
        'WWW-Authenticate: Bearer realm="vk-miniapp", error="invalid_token"\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        '\r\n' +
        body,
    );
    expect(socket.destroyed).toBe(true);
  });

  it('writes a bare 500 for anything else, whatever it says', async () => {
    const { socket, closed, written } = recordingSocket();
    refuseUpgrade(socket, new Error('password=hunter2'));
    await closed;
    expect(written()).toBe('HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  it('only destroys a socket that can no longer be written, and survives its errors', async () => {
    const { socket, written } = recordingSocket();
    socket.destroy();
    expect(() => refuseUpgrade(socket, new VkAuthError('EXPIRED', 'x'))).not.toThrow();
    expect(written()).toBe('');
    const failing = new Duplex({
      read() {},
      write(_chunk, _encoding, callback) {
        callback(new Error('EPIPE'));
      },
    });
    const closed = new Promise<void>((resolve) => failing.once('close', () => resolve()));
    refuseUpgrade(failing, new VkAuthError('EXPIRED', 'x'));
    await closed;
    expect(failing.destroyed).toBe(true);
  });
});
