// vk-miniapp-auth/socket.io against a real Socket.IO server on loopback, with the real
// socket.io-client over WebSocket: what the client sees (connect, connect_error with its
// message and data.code, disconnect) and what the server's handlers see (socket.data.vk).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';
import { type Socket as ClientSocket, io as connect } from 'socket.io-client';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  type MaxLaunch,
  type SocketIoVkMiniAppAuthOptions,
  type VkContext,
  type VkLaunch,
  type VkOrMaxContext,
  type VkSocketData,
  vkMiniAppAuth,
} from '../../src/adapters/socket.io/index.js';
import { type LaunchParams, VkAuthError, verifyLaunchParams } from '../../src/index.js';
import { signMaxInitData } from '../../src/max.js';
import { issueSessionToken } from '../../src/session.js';
import { launch, NOW_S, now, rejection, SECRET } from '../helpers.js';
import { BOT_TOKEN } from '../max/helpers.js';
import { BAD_OPTIONS, type User, users } from './fixtures.js';

const SESSION_SECRET = 'a-session-key-for-socket-io-tests-32+';

interface ClientToServer {
  whoami: (ack: (answer: { vkUserId: number; user: User | undefined; session: string | undefined }) => void) => void;
}

type Data = VkSocketData<User | undefined, boolean>;
type Connected = { connected: true } | { error: Error & { data?: unknown } };

const servers: Server[] = [];
const clients: ClientSocket[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const client of clients.splice(0)) client.disconnect();
  // io.close also closes the HTTP server it is attached to.
  await Promise.all(servers.splice(0).map((io) => new Promise<unknown>((resolve) => io.close(resolve))));
});

/**
 * A Socket.IO server on 127.0.0.1 with the middleware on its main namespace; `connections`
 * records every socket its `connection` handler saw. `whoami` answers what the socket's
 * `socket.data.vk` holds.
 */
async function start(options: Partial<SocketIoVkMiniAppAuthOptions<User | undefined>>) {
  const httpServer = createServer();
  const io = new Server<ClientToServer, Record<string, never>, Record<string, never>, Data>(httpServer);
  servers.push(io as Server);
  io.use(vkMiniAppAuth({ secret: SECRET, now, ...options }));
  const connections: Socket<ClientToServer, Record<string, never>, Record<string, never>, Data>[] = [];
  io.on('connection', (socket) => {
    connections.push(socket);
    socket.on('whoami', (ack) =>
      ack({
        vkUserId: socket.data.vk?.params.vk_user_id ?? 0,
        user: socket.data.vk?.user,
        session: socket.data.vk?.session,
      }),
    );
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connections };
}

function client(url: string, auth: Record<string, unknown>, extraHeaders?: Record<string, string>): ClientSocket {
  const socket = connect(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders });
  clients.push(socket);
  return socket;
}

/** How the handshake ended: `connect`, or `connect_error` and its error. */
function handshake(socket: ClientSocket): Promise<Connected> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (error) => resolve({ error }));
  });
}

/** The refusal verification itself gives for `credential`: the message the client must see. */
async function refusalOf(credential: unknown): Promise<VkAuthError> {
  const error = await rejection(verifyLaunchParams(credential as string, { secret: SECRET, now }));
  if (!(error instanceof VkAuthError)) throw error;
  return error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The socket's next `disconnect`: its reason, and when. Listen before the handshake, so none is missed. */
function disconnection(socket: ClientSocket): Promise<{ reason: string; at: number }> {
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve({ reason, at: Date.now() })));
}

/** `disconnected` if it comes within `ms`, else a reason saying the socket stayed connected. */
function within(disconnected: Promise<{ reason: string; at: number }>, ms: number) {
  return Promise.race([
    disconnected,
    sleep(ms).then(() => ({ reason: `still connected ${ms} ms later`, at: Date.now() })),
  ]);
}

describe('vk-miniapp-auth/socket.io', () => {
  it('lets a valid launch in: socket.data.vk holds the verified params and the user resolveUser returned', async () => {
    const resolveUser = vi.fn((params: LaunchParams, _socket: Socket) => users.getOrCreate(params.vk_user_id));
    const { url, connections } = await start({ resolveUser });
    const socket = client(url, { token: await launch() });
    expect(await handshake(socket)).toEqual({ connected: true });
    expect(connections).toHaveLength(1);
    expect(connections[0]?.data.vk?.params.vk_user_id).toBe(494075);
    expect(connections[0]?.data.vk?.params.vk_platform).toBe('mobile_android');
    expect(Object.isFrozen(connections[0]?.data.vk?.params)).toBe(true);
    expect(await socket.timeout(2000).emitWithAck('whoami')).toEqual({
      vkUserId: 494075,
      user: { id: 494075, name: 'user 494075' },
    });
    // resolveUser got the very socket the handler did.
    expect(resolveUser).toHaveBeenCalledTimes(1);
    expect(resolveUser.mock.calls[0]?.[1]).toBe(connections[0]);
  });

  it('takes `Bearer <launch>` in auth.token, and the Authorization header a Node client sets', async () => {
    const { url, connections } = await start({});
    expect(await handshake(client(url, { token: `Bearer ${await launch({ vk_user_id: 7 })}` }))).toEqual({
      connected: true,
    });
    const headed = client(url, {}, { Authorization: `Bearer ${await launch({ vk_user_id: 8 })}` });
    expect(await handshake(headed)).toEqual({ connected: true });
    expect(connections.map((socket) => socket.data.vk?.params.vk_user_id)).toEqual([7, 8]);
    // Without resolveUser, the user is undefined.
    expect(connections[0]?.data.vk?.user).toBeUndefined();
  });

  it('prefers auth.token to the header', async () => {
    const { url, connections } = await start({});
    const socket = client(url, { token: await launch({ vk_user_id: 1 }) }, { Authorization: 'garbage' });
    expect(await handshake(socket)).toEqual({ connected: true });
    expect(connections[0]?.data.vk?.params.vk_user_id).toBe(1);
  });

  const refused: [string, () => Promise<unknown>, string][] = [
    ['no credential at all', async () => undefined, 'MISSING_CREDENTIALS'],
    ['an empty token', async () => '', 'MISSING_CREDENTIALS'],
    ['a bad sign', async () => (await launch()).replace('vk_user_id=494075', 'vk_user_id=1'), 'SIGN_INVALID'],
    ['an expired launch', () => launch({ vk_ts: NOW_S - 7200 }), 'EXPIRED'],
    ['garbage', async () => 'not launch params at all', 'MALFORMED'],
    ['a 100 KB string', async () => `${await launch()}&x=${'a'.repeat(100_000)}`, 'TOO_LARGE'],
    ['a token that is not a string', async () => 12345, 'MALFORMED'],
  ];

  it.each(refused)(
    'refuses %s: connect_error with the refusal’s message and data.code, no connection',
    async (_name, token, code) => {
      const { url, connections } = await start({ resolveUser: (params) => users.getOrCreate(params.vk_user_id) });
      const credential = await token();
      const outcome = await handshake(client(url, credential === undefined ? {} : { token: credential }));
      const expected = await refusalOf(credential === '' ? undefined : credential);
      expect(expected.code).toBe(code);
      expect(outcome).toEqual({ error: expect.any(Error) });
      const { error } = outcome as { error: Error & { data?: unknown } };
      expect(error.message).toBe(expected.message);
      expect(error.data).toEqual({ code });
      expect(error.message).not.toContain(SECRET);
      // The connection handler never ran, and the server holds no socket.
      await sleep(50);
      expect(connections).toEqual([]);
      expect(servers[0]?.of('/').sockets.size).toBe(0);
    },
  );

  it('refuses a user resolveUser turns away with USER_REJECTED', async () => {
    const { url, connections } = await start({ resolveUser: () => null });
    const outcome = await handshake(client(url, { token: await launch() }));
    expect(outcome).toMatchObject({
      error: {
        message: 'The launch params are valid, but this user is not allowed in.',
        data: { code: 'USER_REJECTED' },
      },
    });
    expect(connections).toEqual([]);
  });

  it('a VkAuthError thrown by resolveUser is a refusal with its code and message', async () => {
    const { url } = await start({
      resolveUser: () => {
        throw new VkAuthError('USER_REJECTED', 'Banned until Monday.');
      },
    });
    expect(await handshake(client(url, { token: await launch() }))).toMatchObject({
      error: { message: 'Banned until Monday.', data: { code: 'USER_REJECTED' } },
    });
  });

  it('a failing resolveUser reaches the client as a bare server error; the error is logged on the server', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = new Error('connect ECONNREFUSED db.internal:5432 as admin');
    const { url, connections } = await start({
      resolveUser: async () => {
        throw failure;
      },
    });
    const outcome = await handshake(client(url, { token: await launch() }));
    expect(outcome).toEqual({ error: expect.any(Error) });
    const { error } = outcome as { error: Error & { data?: unknown } };
    expect(error.message).toBe('Internal server error');
    expect(error.data).toEqual({ code: 'SERVER_ERROR' });
    expect(JSON.stringify({ message: error.message, data: error.data })).not.toContain('db.internal');
    expect(connections).toEqual([]);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(logged.mock.calls[0]).toContain(failure);
  });

  it('lets in a socket without credentials with `optional: true`, with socket.data.vk null; bad ones still fail', async () => {
    const { url, connections } = await start({ optional: true });
    expect(await handshake(client(url, {}))).toEqual({ connected: true });
    expect(connections[0]?.data.vk).toBeNull();
    expect(await handshake(client(url, { token: 'garbage' }))).toMatchObject({
      error: { data: { code: 'MALFORMED' } },
    });
  });

  it('reads the credential where getCredentials says', async () => {
    const { url, connections } = await start({ getCredentials: (socket) => socket.handshake.auth.launch });
    expect(await handshake(client(url, { launch: await launch({ vk_user_id: 3 }) }))).toEqual({ connected: true });
    expect(connections[0]?.data.vk?.params.vk_user_id).toBe(3);
    expect(await handshake(client(url, { token: await launch() }))).toMatchObject({
      error: { data: { code: 'MISSING_CREDENTIALS' } },
    });
  });

  describe('with sessions', () => {
    const session = { secret: SESSION_SECRET };

    it('accepts a session token, alone or as `Bearer <token>`, and issues one for a launch', async () => {
      const params = await verifyLaunchParams(await launch({ vk_user_id: 5 }), { secret: SECRET, now });
      const token = await issueSessionToken(params, { ...session, now });
      const { url, connections } = await start({ session });
      const byToken = client(url, { token });
      expect(await handshake(byToken)).toEqual({ connected: true });
      expect(await handshake(client(url, { token: `Bearer ${token}` }))).toEqual({ connected: true });
      expect(connections.map((socket) => socket.data.vk?.params.vk_user_id)).toEqual([5, 5]);
      // A token not past half its life is not renewed.
      expect(connections[0]?.data.vk?.session).toBeUndefined();

      const byLaunch = client(url, { token: await launch({ vk_user_id: 6 }) });
      expect(await handshake(byLaunch)).toEqual({ connected: true });
      const issued = (await byLaunch.timeout(2000).emitWithAck('whoami')).session;
      expect(issued).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      // The issued token lets the next connection in.
      expect(await handshake(client(url, { token: issued }))).toEqual({ connected: true });
      expect(connections.at(-1)?.data.vk?.params.vk_user_id).toBe(6);
    });

    it('refuses a tampered session token with SESSION_INVALID, and one of another key', async () => {
      const params = await verifyLaunchParams(await launch(), { secret: SECRET, now });
      const token = await issueSessionToken(params, { ...session, now });
      const other = await issueSessionToken(params, { secret: `${SESSION_SECRET}-other`, now });
      const { url, connections } = await start({ session });
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const tampered = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
      expect(await handshake(client(url, { token: tampered }))).toMatchObject({
        error: { data: { code: 'SESSION_INVALID' } },
      });
      expect(await handshake(client(url, { token: other }))).toMatchObject({
        error: { data: { code: 'SESSION_INVALID' } },
      });
      expect(connections).toEqual([]);
    });
  });

  describe('disconnectOnExpiry', () => {
    /** A launch signed now, on the real clock. */
    const freshLaunch = () => launch({ vk_ts: Math.floor(Date.now() / 1000) });
    /** `maxAge: 2, clockSkew: 0`: a launch signed now expires within 1 to 2 s. */
    const shortLived = { maxAge: 2, clockSkew: 0, now: Date.now };

    it('disconnects a socket when its launch expires, and not before', async () => {
      const { url, connections } = await start({ ...shortLived, disconnectOnExpiry: true });
      const token = await freshLaunch();
      const expiresAt = (Number(new URLSearchParams(token).get('vk_ts')) + 2) * 1000;
      const socket = client(url, { token });
      const disconnected = disconnection(socket);
      expect(await handshake(socket)).toEqual({ connected: true });
      const { reason, at } = await within(disconnected, 3000);
      expect(reason).toBe('io server disconnect');
      expect(at).toBeGreaterThanOrEqual(expiresAt);
      expect(connections[0]?.connected).toBe(false);
    });

    it('leaves the socket connected past its launch’s expiry without the option', async () => {
      const { url, connections } = await start(shortLived);
      const token = await freshLaunch();
      const expiresAt = (Number(new URLSearchParams(token).get('vk_ts')) + 2) * 1000;
      const socket = client(url, { token });
      expect(await handshake(socket)).toEqual({ connected: true });
      await sleep(expiresAt - Date.now() + 500);
      expect(socket.connected).toBe(true);
      expect(connections[0]?.connected).toBe(true);
      expect((await socket.timeout(2000).emitWithAck('whoami')).vkUserId).toBe(494075);
    });

    it('disconnects a socket when its session token expires (exp plus the session’s clockSkew)', async () => {
      const session = { secret: SESSION_SECRET, ttl: 1, clockSkew: 0 };
      const params = await verifyLaunchParams(await freshLaunch(), { secret: SECRET });
      const token = await issueSessionToken(params, session);
      const [, payload] = token.split('.') as [string, string];
      const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp: number };
      const { url } = await start({ now: Date.now, session, disconnectOnExpiry: true });
      const socket = client(url, { token });
      const disconnected = disconnection(socket);
      expect(await handshake(socket)).toEqual({ connected: true });
      const { reason, at } = await within(disconnected, 3000);
      expect(reason).toBe('io server disconnect');
      expect(at).toBeGreaterThanOrEqual(exp * 1000);
    });

    /** A server with the middleware and then `later`, on the real clock. */
    async function startWith(options: SocketIoVkMiniAppAuthOptions, later?: Parameters<Server['use']>[0]) {
      const httpServer = createServer();
      const io = new Server(httpServer);
      servers.push(io);
      io.use(vkMiniAppAuth(options));
      if (later) io.use(later);
      await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
      return { io, url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` };
    }

    it('leaves a socket whose launch never expires (maxAge: 0) alone', async () => {
      const { io, url } = await startWith({ secret: SECRET, maxAge: 0, disconnectOnExpiry: true });
      const socket = client(url, { token: await launch({ vk_ts: NOW_S - 7 * 86400 }) });
      expect(await handshake(socket)).toEqual({ connected: true });
      // Nothing to watch: no timer, not even the namespace's listener.
      expect(io.of('/').listenerCount('connection')).toBe(0);
      await sleep(200);
      expect(socket.connected).toBe(true);
    });

    it('disconnects at once a socket whose launch expired while a later middleware held it', async () => {
      const token = await freshLaunch();
      const expiresAt = (Number(new URLSearchParams(token).get('vk_ts')) + 2) * 1000;
      const { url } = await startWith({ secret: SECRET, ...shortLived, disconnectOnExpiry: true }, (_socket, next) => {
        setTimeout(next, expiresAt - Date.now() + 100);
      });
      const socket = client(url, { token });
      const disconnected = disconnection(socket);
      expect(await handshake(socket)).toEqual({ connected: true });
      const { reason, at } = await within(disconnected, 1000);
      expect(reason).toBe('io server disconnect');
      expect(at).toBeGreaterThanOrEqual(expiresAt + 100);
    });
  });

  describe('with max: MAX launches beside VK ones', () => {
    const MAX_USER = { id: 67890, first_name: 'Max' };
    const maxOptions = { botToken: BOT_TOKEN };
    type AnyData = VkSocketData<{ key: string }, false, true>;

    /** A server taking VK and MAX launches, keying users on (platform, userId). */
    async function startAny(options: { maxAge?: number; now?: () => number; disconnectOnExpiry?: boolean } = {}) {
      const { maxAge, ...rest } = options;
      const httpServer = createServer();
      const io = new Server<Record<string, never>, Record<string, never>, Record<string, never>, AnyData>(httpServer);
      servers.push(io as Server);
      io.use(
        vkMiniAppAuth({
          secret: SECRET,
          now,
          max: maxAge === undefined ? maxOptions : { ...maxOptions, maxAge, clockSkew: 0 },
          resolveUser: (_params, _socket, { platform, userId }) => ({ key: `${platform}:${userId}` }),
          ...rest,
        }),
      );
      const connections: Socket<Record<string, never>, Record<string, never>, Record<string, never>, AnyData>[] = [];
      io.on('connection', (socket) => {
        connections.push(socket);
      });
      await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
      return { url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`, connections };
    }

    it('lets a MAX launch in (init data as the token, or tma in the header), and VK launches still', async () => {
      const { url, connections } = await startAny();
      const initData = await signMaxInitData({ user: MAX_USER, auth_date: NOW_S - 10 }, BOT_TOKEN);
      expect(await handshake(client(url, { token: initData }))).toEqual({ connected: true });
      expect(await handshake(client(url, {}, { Authorization: `tma ${initData}` }))).toEqual({ connected: true });
      expect(await handshake(client(url, { token: await launch() }))).toEqual({ connected: true });
      const [first, second, third] = connections.map((socket) => socket.data.vk);
      expect(first).toMatchObject({ platform: 'max', userId: MAX_USER.id, user: { key: 'max:67890' } });
      expect(first?.platform === 'max' && first.max.user).toEqual(MAX_USER);
      expect(second).toMatchObject({ platform: 'max', userId: MAX_USER.id });
      expect(third).toMatchObject({ platform: 'vk', userId: 494075, user: { key: 'vk:494075' } });
    });

    it('refuses bad MAX init data with connect_error and the code', async () => {
      const { url, connections } = await startAny();
      const initData = await signMaxInitData({ user: MAX_USER, auth_date: NOW_S - 10 }, BOT_TOKEN);
      for (const [token, code] of [
        [`tma ${initData.replace('Max', 'Mix')}`, 'SIGN_INVALID'],
        [`tma ${await signMaxInitData({ user: MAX_USER, auth_date: NOW_S - 7200 }, BOT_TOKEN)}`, 'EXPIRED'],
        [`tma ${await signMaxInitData({ auth_date: NOW_S }, BOT_TOKEN)}`, 'USER_ID_MISSING'],
      ] as const) {
        const outcome = await handshake(client(url, { token }));
        expect('error' in outcome && outcome.error.data).toEqual({ code });
      }
      expect(connections).toEqual([]);
    });

    it('disconnects a MAX socket with disconnectOnExpiry at auth_date + maxAge + clockSkew', async () => {
      const signedS = Math.floor(Date.now() / 1000);
      const { url } = await startAny({ now: Date.now, maxAge: 2, disconnectOnExpiry: true });
      const socket = client(url, { token: await signMaxInitData({ user: MAX_USER, auth_date: signedS }, BOT_TOKEN) });
      const disconnected = disconnection(socket);
      expect(await handshake(socket)).toEqual({ connected: true });
      const { reason, at } = await within(disconnected, 3500);
      expect(reason).toBe('io server disconnect');
      expect(at).toBeGreaterThanOrEqual((signedS + 2) * 1000);
    });

    it('types socket.data.vk as VkOrMaxContext with max, and checks the server declares so', () => {
      const io = new Server<Record<string, never>, Record<string, never>, Record<string, never>, AnyData>();
      io.use(vkMiniAppAuth({ secret: SECRET, max: maxOptions, resolveUser: () => ({ key: 'k' }) }));
      io.on('connection', (socket) => {
        expectTypeOf(socket.data.vk).toEqualTypeOf<VkOrMaxContext<{ key: string }>>();
      });
      vkMiniAppAuth({
        secret: SECRET,
        max: maxOptions,
        resolveUser: (params, _socket, launch) => {
          expectTypeOf(params).toEqualTypeOf<LaunchParams | undefined>();
          expectTypeOf(launch).toEqualTypeOf<VkLaunch | MaxLaunch>();
          return { key: 'k' };
        },
      });
      const vkOnly = new Server<
        Record<string, never>,
        Record<string, never>,
        Record<string, never>,
        VkSocketData<User>
      >();
      // @ts-expect-error a server declaring VK launches only cannot take the max option's MAX contexts
      vkOnly.use(vkMiniAppAuth({ secret: SECRET, max: maxOptions, resolveUser: () => ({ id: 1, name: 'a' }) }));
    });
  });

  it('refuses bad options when it is created, naming the option and never the secret', () => {
    // No onError here: the last row of the table is for the adapters that have it.
    for (const [options, message] of BAD_OPTIONS.filter(([options]) => !('onError' in Object(options)))) {
      expect(() => vkMiniAppAuth(options as SocketIoVkMiniAppAuthOptions)).toThrow(message);
    }
    expect(() => vkMiniAppAuth({ secret: SECRET, disconnectOnExpiry: 'yes' as unknown as boolean })).toThrow(
      new TypeError('vk-miniapp-auth: options.disconnectOnExpiry must be a boolean.'),
    );
    expect(() =>
      vkMiniAppAuth({ secret: SECRET, now: 5 as unknown as () => number, disconnectOnExpiry: true }),
    ).toThrow(/options\.now/);
  });

  it('types socket.data.vk through VkSocketData, and checks the server declares it', () => {
    const io = new Server<Record<string, never>, Record<string, never>, Record<string, never>, VkSocketData<User>>();
    io.use(vkMiniAppAuth({ secret: SECRET, resolveUser: (params) => users.getOrCreate(params.vk_user_id) }));
    io.on('connection', (socket) => {
      expectTypeOf(socket.data.vk).toEqualTypeOf<VkContext<User>>();
    });
    // A richer user fits the declared one; a poorer one, an optional vk, or no vk at all do not.
    io.use(vkMiniAppAuth({ secret: SECRET, resolveUser: () => ({ id: 1, name: 'a', admin: true }) }));
    // @ts-expect-error resolveUser returns less than the declared User
    io.use(vkMiniAppAuth({ secret: SECRET, resolveUser: () => ({ id: 1 }) }));
    // @ts-expect-error optional: socket.data.vk may be null, which the declaration does not allow
    io.use(vkMiniAppAuth({ secret: SECRET, resolveUser: () => ({ id: 1, name: 'a' }), optional: true }));
    const undeclared = new Server<
      Record<string, never>,
      Record<string, never>,
      Record<string, never>,
      { room: string }
    >();
    // @ts-expect-error SocketData has no vk
    undeclared.use(vkMiniAppAuth({ secret: SECRET }));
    // A server without a SocketData type takes it.
    new Server().use(vkMiniAppAuth({ secret: SECRET }));
  });
});
