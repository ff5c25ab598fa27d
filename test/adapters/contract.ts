// The contract every adapter keeps (docs/adapters.md), written once and run against the drivers
// it is given: contract.node-only.test.ts runs it against every adapter; hono.test.ts and
// next.test.ts run it again for their adapter under Web Crypto (the web-crypto project).
import fc from 'fast-check';
import { decodeJwt, jwtVerify, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MaxContext, MaxLaunch, VkLaunch } from '../../src/adapters/common/context.js';
import {
  bodyBoundPayload,
  type LaunchParams,
  launchIdentity,
  statusOf,
  VK_AUTH_ERROR_CODES,
  VkAuthError,
  type VkAuthErrorCode,
  verifyLaunchParams,
} from '../../src/index.js';
import { MAX_INPUT_LENGTH } from '../../src/launch-params/limits.js';
import { type MaxInitDataToSign, signMaxInitData, verifyMaxInitData } from '../../src/max.js';
import { createMemoryReplayStore, ReplayStoreUnavailableError } from '../../src/replay.js';
import type { SessionOptions } from '../../src/session.js';
import { createHashSign } from '../bridge/signers.js';
import { launch, NOW_MS, NOW_S, now, SECRET } from '../helpers.js';
import { BOT_TOKEN, launchUrl } from '../max/helpers.js';
import type { App, Driver, DriverOptions, Incoming, Reply, Sent } from './drivers/driver.js';
import { ACCEPTED_APP_ID, BAD_OPTIONS, challengeFor, REFUSED_CREDENTIALS } from './fixtures.js';

const USER_ID = 494075;
const APP_ID = 6736218;
/** Oldest accepted age of a launch, and of a CreateHash sign, with the defaults: maxAge + clockSkew. */
const OLDEST_S = 3600 + 30;

const ivan = (params: LaunchParams) => ({ id: params.vk_user_id, name: 'Ivan' });

/** `ivan`, counting its calls. */
function counted() {
  const counter = {
    calls: 0,
    resolveUser: (params: LaunchParams) => {
      counter.calls++;
      return ivan(params);
    },
  };
  return counter;
}

const bearer = (query: string) => ({ authorization: `Bearer ${query}` });

/** A session key, as docs/sessions.md says to make one (32 random bytes, base64). */
const SESSION_SECRET = 'q0n9xJ0dM3yQm8Pp1iYwC9Zb5yT2rLkVhF7sXnE4aUo=';
const OLD_SESSION_SECRET = 'an-older-session-key-of-32-chars-or-more';

/** What a handler saw of vk, as the route answers it: `{ vk: { platform, userId, params, user } }`, JSON's way. */
function vkBody(params: LaunchParams, user?: unknown) {
  const { platform, userId } = launchIdentity(params);
  return { vk: JSON.parse(JSON.stringify({ platform, userId, params, user })) };
}

/** The `X-VK-Sign` and `X-VK-Sign-Ts` headers VKWebAppCreateHash's result becomes. */
function hashHeaders(
  payload: string,
  { userId = USER_ID, appId = APP_ID, ts = NOW_S }: { userId?: number; appId?: number; ts?: number } = {},
): Record<string, string> {
  return { 'x-vk-sign': createHashSign({ appId, userId, payload, ts }, SECRET), 'x-vk-sign-ts': String(ts) };
}

/** The same params the adapter should hand out for `query`, verified by the core. */
function verified(query: string): Promise<LaunchParams> {
  return verifyLaunchParams(query, { secret: SECRET, now });
}

/**
 * Runs the contract against each driver. Each scenario builds its own app with the options it
 * names, on top of `{ secret: SECRET, now }`.
 */
export function describeContract(drivers: readonly Driver[]): void {
  describe.each(drivers.map((driver) => [driver.name, driver] as const))(
    'the adapter contract: %s',
    (_name, driver) => {
      const apps: App[] = [];
      afterEach(async () => {
        await Promise.all(apps.splice(0).map((app) => app.close()));
      });

      async function start(options: DriverOptions = {}) {
        const app = await driver.start({ secret: SECRET, now, ...options });
        apps.push(app);
        return app;
      }

      /**
       * A refusal as this adapter answers it by default: the code's status (401, 403 for
       * GROUP_ROLE_FORBIDDEN), the challenge, the code in its body shape.
       */
      function expectRefusal(reply: Reply, code: VkAuthErrorCode) {
        expect(reply.status, reply.text).toBe(statusOf(code));
        expect(reply.headers['www-authenticate']).toBe(challengeFor(code));
        expect(reply.headers['content-type']).toMatch(/^application\/json/);
        expect(reply.body).toEqual(driver.refusalBody(code));
        expect(reply.text).not.toContain(SECRET);
      }

      /** A server error: the framework's 500, no challenge, and `error` as it is in its error handling. */
      function expectServerError(app: App, reply: Reply, error: unknown) {
        expect(reply.status, reply.text).toBe(500);
        expect(reply.headers['www-authenticate']).toBeUndefined();
        expect(VK_AUTH_ERROR_CODES).not.toContain(driver.codeOf(reply.body));
        expect(app.serverErrors).toHaveLength(1);
        expect(app.serverErrors[0]).toBe(error);
      }

      describe('a valid launch', () => {
        it('is let in: 200, with vk.params verified and vk.user from resolveUser, whatever the scheme', async () => {
          const app = await start({ resolveUser: ivan });
          const query = await launch();
          const expected = vkBody(await verified(query), { id: USER_ID, name: 'Ivan' });
          for (const authorization of [`Bearer ${query}`, `VK ${query}`, query, `Bearer ?${query}`]) {
            const reply = await app.send({ headers: { authorization } });
            expect(reply.status, authorization).toBe(200);
            expect(reply.body).toEqual(expected);
          }
          expect(app.seen).toHaveLength(4);
          expect(app.serverErrors).toEqual([]);
        });

        it('hands out frozen params, and vk.user undefined without resolveUser', async () => {
          const app = await start();
          const query = await launch();
          const reply = await app.send({ headers: bearer(query) });
          expect(reply.status).toBe(200);
          expect(reply.body).toEqual(vkBody(await verified(query)));
          const [vk] = app.seen as { params: LaunchParams; user: unknown }[];
          expect(vk?.user).toBeUndefined();
          expect(Object.isFrozen(vk?.params)).toBe(true);
          expect(Object.isFrozen(vk?.params.vk_access_token_settings)).toBe(true);
        });

        it("passes resolveUser the verified params and the framework's request", async () => {
          const calls: unknown[] = [];
          const app = await start({
            resolveUser: (params, request) => {
              calls.push([params.vk_user_id, request.header('x-request-id')]);
              return ivan(params);
            },
          });
          const reply = await app.send({ headers: { ...bearer(await launch()), 'x-request-id': 'r1' } });
          expect(reply.status).toBe(200);
          expect(calls).toEqual([[USER_ID, 'r1']]);
        });
      });

      describe('refuses with 401, the challenge and the code, before the handler', () => {
        for (const { name, authorization, code } of REFUSED_CREDENTIALS) {
          it(`${code}: ${name}`, async () => {
            const users = counted();
            const app = await start({ appId: ACCEPTED_APP_ID, resolveUser: users.resolveUser });
            const value = await authorization();
            expectRefusal(await app.send({ headers: value === undefined ? {} : { authorization: value } }), code);
            expect(app.seen).toEqual([]);
            expect(users.calls).toBe(0);
            // A refusal is an answer, not an error for the framework's error handling.
            expect(app.serverErrors).toEqual([]);
          });
        }

        it('MISSING_CREDENTIALS: an empty Authorization header, or a scheme alone', async () => {
          const app = await start();
          for (const authorization of ['', 'Bearer', 'VK ']) {
            expectRefusal(await app.send({ headers: { authorization } }), 'MISSING_CREDENTIALS');
          }
          expect(app.seen).toEqual([]);
        });
      });

      describe('resolveUser', () => {
        for (const answer of [null, undefined, false]) {
          it(`answering ${answer}, synchronously or not, refuses with USER_REJECTED`, async () => {
            for (const resolveUser of [() => answer, async () => answer]) {
              const app = await start({ resolveUser });
              expectRefusal(await app.send({ headers: bearer(await launch()) }), 'USER_REJECTED');
              expect(app.seen).toEqual([]);
              expect(app.serverErrors).toEqual([]);
            }
          });
        }

        it('throwing a VkAuthError on purpose refuses with its code, synchronously or not', async () => {
          for (const code of ['USER_REJECTED', 'EXPIRED'] as const) {
            const error = new VkAuthError(code, 'Refused by the app.');
            for (const resolveUser of [
              () => {
                throw error;
              },
              async () => Promise.reject(error),
            ]) {
              const app = await start({ resolveUser });
              expectRefusal(await app.send({ headers: bearer(await launch()) }), code);
              expect(app.serverErrors).toEqual([]);
            }
          }
        });

        it('throwing a VkAuthError made with another status, or an error merely shaped like one, is still a 401', async () => {
          const thrown = [
            () => new VkAuthError('USER_REJECTED', 'Banned.', { status: 403 }),
            () => Object.assign(new Error('x'), { name: 'VkAuthError', code: 'USER_REJECTED' }), // no status
            () => Object.assign(new Error('x'), { name: 'VkAuthError', code: 'USER_REJECTED', status: 200 }),
            () => Object.assign(new Error('x'), { name: 'VkAuthError', code: 'USER_REJECTED', status: '401' }),
          ];
          for (const error of thrown) {
            const app = await start({
              resolveUser: () => {
                throw error();
              },
            });
            expectRefusal(await app.send({ headers: bearer(await launch()) }), 'USER_REJECTED');
          }
        });

        it("throwing anything else, synchronously or not, is the framework's 500 with the error as it is", async () => {
          const failures = [
            () => new Error('the database is down'),
            () => Object.assign(new Error('x'), { name: 'VkAuthError', code: 'NOT_A_CODE' }),
          ];
          for (const failure of failures) {
            for (const throwing of [
              (error: unknown) => () => {
                throw error;
              },
              (error: unknown) => async () => Promise.reject(error),
            ]) {
              const error = failure();
              const app = await start({ resolveUser: throwing(error) });
              expectServerError(app, await app.send({ headers: bearer(await launch()) }), error);
              expect(app.seen).toEqual([]);
            }
          }
        });
      });

      describe('optional: true', () => {
        it('lets a request without credentials through with vk null, without calling resolveUser', async () => {
          const users = counted();
          const app = await start({ optional: true, resolveUser: users.resolveUser });
          for (const headers of [{}, ...['', '  ', 'Bearer'].map((authorization) => ({ authorization }))]) {
            const reply = await app.send({ headers });
            expect(reply.status).toBe(200);
            expect(reply.body).toEqual({ vk: null });
          }
          expect(app.seen).toEqual([null, null, null, null]);
          expect(users.calls).toBe(0);
        });

        it('still lets valid credentials in, and refuses bad ones and a user resolveUser rejects', async () => {
          const app = await start({ optional: true, resolveUser: ivan });
          const query = await launch();
          expect((await app.send({ headers: bearer(query) })).body).toEqual(
            vkBody(await verified(query), { id: USER_ID, name: 'Ivan' }),
          );
          expectRefusal(await app.send({ headers: bearer(await launch({ vk_ts: NOW_S - 7200 })) }), 'EXPIRED');
          expectRefusal(await app.send({ headers: bearer('garbage') }), 'MALFORMED');
          const rejecting = await start({ optional: true, resolveUser: () => null });
          expectRefusal(await rejecting.send({ headers: bearer(query) }), 'USER_REJECTED');
        });
      });

      describe('getCredentials', () => {
        it('reads a custom header instead of Authorization, which is then not looked at', async () => {
          const app = await start({ getCredentials: (request) => request.header('x-launch-params') });
          const query = await launch();
          const reply = await app.send({ headers: { 'x-launch-params': query } });
          expect(reply.status).toBe(200);
          expect(reply.body).toEqual(vkBody(await verified(query)));
          expectRefusal(await app.send({ headers: bearer(query) }), 'MISSING_CREDENTIALS');
        });

        it('may be async: a cookie holding base64url of the query', async () => {
          const app = await start({
            getCredentials: async (request) => /(?:^|;\s*)vk_launch=([^;]*)/.exec(request.header('cookie') ?? '')?.[1],
          });
          const query = await launch();
          const cookie = `theme=dark; vk_launch=${Buffer.from(query).toString('base64url')}`;
          const reply = await app.send({ headers: { cookie } });
          expect(reply.status).toBe(200);
          expect(reply.body).toEqual(vkBody(await verified(query)));
          expectRefusal(await app.send({ headers: { cookie: 'theme=dark' } }), 'MISSING_CREDENTIALS');
        });

        it('combines with optional: nothing to read is an anonymous request', async () => {
          const app = await start({ optional: true, getCredentials: (request) => request.header('x-launch-params') });
          expect((await app.send()).body).toEqual({ vk: null });
        });

        it("throwing, synchronously or not, is the framework's 500 with the error as it is", async () => {
          for (const throwing of [
            (error: unknown) => () => {
              throw error;
            },
            (error: unknown) => async () => Promise.reject(error),
          ]) {
            const error = new Error('the session store is down');
            const app = await start({ getCredentials: throwing(error) });
            expectServerError(app, await app.send({ headers: bearer(await launch()) }), error);
          }
        });
      });

      describe(`restyling refusals (${driver.restyleThrough})`, () => {
        const restyled = () => {
          const errors: VkAuthError[] = [];
          const restyle = (error: VkAuthError) => {
            errors.push(error);
            return { status: 403, body: { ok: false, reason: error.code } };
          };
          return { errors, restyle };
        };
        /** The channels that answer after the adapter set the challenge keep it; an onError answers itself. */
        const challenge = (code: VkAuthErrorCode) =>
          driver.restyleThrough === 'onError' ? undefined : challengeFor(code);

        it('answers a refusal the app’s way, with the VkAuthError', async () => {
          const { errors, restyle } = restyled();
          const app = await start({ restyle });
          const reply = await app.send({ headers: bearer(await launch({ vk_ts: NOW_S - 7200 })) });
          expect(reply.status).toBe(403);
          expect(reply.body).toEqual({ ok: false, reason: 'EXPIRED' });
          expect(reply.headers['www-authenticate']).toBe(challenge('EXPIRED'));
          expect(errors).toHaveLength(1);
          expect(VkAuthError.is(errors[0], 'EXPIRED')).toBe(true);
          expect((await app.send()).body).toEqual({ ok: false, reason: 'MISSING_CREDENTIALS' });
          expect((await app.send({ headers: bearer(await launch()) })).status).toBe(200);
        });

        it('gets the VkAuthError resolveUser threw on purpose, as it is', async () => {
          const { errors, restyle } = restyled();
          const banned = new VkAuthError('USER_REJECTED', 'Banned.');
          const app = await start({ restyle, resolveUser: async () => Promise.reject(banned) });
          const reply = await app.send({ headers: bearer(await launch()) });
          expect(reply.status).toBe(403);
          expect(reply.body).toEqual({ ok: false, reason: 'USER_REJECTED' });
          expect(reply.headers['www-authenticate']).toBe(challenge('USER_REJECTED'));
          expect(errors).toEqual([banned]);
          expect(errors[0]).toBe(banned);
        });

        it('answers the refusals of the CreateHash guard too', async () => {
          const { restyle } = restyled();
          const app = await start({ restyle });
          const reply = await app.send({
            method: 'POST',
            path: '/api/hash',
            headers: bearer(await launch()),
            body: { requestId: 'order-42' },
          });
          expect(reply.status).toBe(403);
          expect(reply.body).toEqual({ ok: false, reason: 'CREATE_HASH_MISSING' });
          expect(reply.headers['www-authenticate']).toBe(challenge('CREATE_HASH_MISSING'));
        });

        it('never sees a server error: that is still the framework’s 500', async () => {
          const { errors, restyle } = restyled();
          const failure = new Error('the database is down');
          const app = await start({
            restyle,
            resolveUser: () => {
              throw failure;
            },
          });
          expectServerError(app, await app.send({ headers: bearer(await launch()) }), failure);
          expect(errors).toEqual([]);
        });

        if (driver.restyleThrough === 'onError') {
          it('sends an onError that throws or rejects to the framework’s error handling, never swallowing it', async () => {
            for (const broken of [
              (error: unknown) => () => {
                throw error;
              },
              (error: unknown) => async () => Promise.reject(error),
            ]) {
              const failure = new Error('onError broke');
              const app = await start({ restyle: broken(failure) });
              expectServerError(app, await app.send(), failure);
            }
          });
        }
      });

      describe('the CreateHash guard (a sign over the JSON body’s requestId)', () => {
        const body = { requestId: 'order-42' };
        const transfer = (headers: Record<string, string>, sent: Partial<Sent> = {}): Sent => ({
          method: 'POST',
          path: '/api/hash',
          headers,
          body,
          ...sent,
        });
        let authorization: string;

        async function startWithLaunch(options: DriverOptions = {}) {
          authorization = `Bearer ${await launch()}`;
          return start(options);
        }

        it('lets in a sign made for the launch user and app; routes without the guard need none', async () => {
          const app = await startWithLaunch();
          const reply = await app.send(transfer({ authorization, ...hashHeaders('order-42') }));
          expect(reply.status, reply.text).toBe(200);
          expect((reply.body as { vk: { params: LaunchParams } }).vk.params.vk_user_id).toBe(USER_ID);
          expect((await app.send({ method: 'POST', path: '/api/p', headers: { authorization }, body })).status).toBe(
            200,
          );
        });

        it('reads the payload where its getter says: a header', async () => {
          const app = await startWithLaunch();
          const headers = { authorization, 'x-vk-sign-payload': 'pay 100 RUB', ...hashHeaders('pay 100 RUB') };
          expect((await app.send({ method: 'POST', path: '/api/hash-header', headers })).status).toBe(200);
          expectRefusal(
            await app.send({
              method: 'POST',
              path: '/api/hash-header',
              headers: { ...headers, 'x-vk-sign-payload': 'pay 900 RUB' },
            }),
            'CREATE_HASH_INVALID',
          );
        });

        it('CREATE_HASH_MISSING without the sign, the ts or the payload', async () => {
          const app = await startWithLaunch();
          const { 'x-vk-sign': sign = '', 'x-vk-sign-ts': ts = '' } = hashHeaders('order-42');
          expectRefusal(await app.send(transfer({ authorization })), 'CREATE_HASH_MISSING');
          expectRefusal(await app.send(transfer({ authorization, 'x-vk-sign': sign })), 'CREATE_HASH_MISSING');
          expectRefusal(await app.send(transfer({ authorization, 'x-vk-sign-ts': ts })), 'CREATE_HASH_MISSING');
          expectRefusal(
            await app.send(transfer({ authorization, ...hashHeaders('order-42') }, { body: {} })),
            'CREATE_HASH_MISSING',
          );
          expect(app.seen).toEqual([]);
        });

        it('CREATE_HASH_INVALID for a tampered payload, ts or sign', async () => {
          const app = await startWithLaunch();
          const headers: Record<string, string> = { authorization, ...hashHeaders('order-42') };
          expectRefusal(await app.send(transfer(headers, { body: { requestId: 'order-43' } })), 'CREATE_HASH_INVALID');
          expectRefusal(
            await app.send(transfer({ ...headers, 'x-vk-sign-ts': String(NOW_S - 1) })),
            'CREATE_HASH_INVALID',
          );
          const sign = headers['x-vk-sign'] ?? '';
          const flipped = `${sign.slice(0, 10)}${sign[10] === 'A' ? 'B' : 'A'}${sign.slice(11)}`;
          expectRefusal(await app.send(transfer({ ...headers, 'x-vk-sign': flipped })), 'CREATE_HASH_INVALID');
          expectRefusal(await app.send(transfer({ ...headers, 'x-vk-sign': 'not-a-sign' })), 'CREATE_HASH_INVALID');
        });

        it("CREATE_HASH_INVALID for another user's or another app's sign: the ids come from the launch", async () => {
          const app = await startWithLaunch();
          const otherUser = hashHeaders('order-42', { userId: USER_ID + 1 });
          expectRefusal(await app.send(transfer({ authorization, ...otherUser })), 'CREATE_HASH_INVALID');
          const otherApp = hashHeaders('order-42', { appId: APP_ID + 1 });
          expectRefusal(await app.send(transfer({ authorization, ...otherApp })), 'CREATE_HASH_INVALID');
          // The other user's own launch gets through with their sign.
          const theirs = `Bearer ${await launch({ vk_user_id: USER_ID + 1 })}`;
          const reply = await app.send(transfer({ authorization: theirs, ...otherUser }));
          expect(reply.status).toBe(200);
          expect((reply.body as { vk: { params: LaunchParams } }).vk.params.vk_user_id).toBe(USER_ID + 1);
        });

        it('CREATE_HASH_EXPIRED past maxAge + clockSkew, TS_IN_FUTURE for a sign from the future', async () => {
          const app = await startWithLaunch();
          const at = (ts: number) => transfer({ authorization, ...hashHeaders('order-42', { ts }) });
          expectRefusal(await app.send(at(NOW_S - OLDEST_S - 1)), 'CREATE_HASH_EXPIRED');
          expect((await app.send(at(NOW_S - OLDEST_S))).status).toBe(200);
          expectRefusal(await app.send(at(NOW_S + 60)), 'TS_IN_FUTURE');
        });

        it('comes after the launch-params check: missing or bad launch params are refused first', async () => {
          const app = await startWithLaunch();
          const hash = hashHeaders('order-42');
          expectRefusal(await app.send(transfer(hash)), 'MISSING_CREDENTIALS');
          const forged = authorization.replace(`vk_user_id=${USER_ID}`, `vk_user_id=${USER_ID + 1}`);
          expectRefusal(await app.send(transfer({ ...hash, authorization: forged })), 'SIGN_INVALID');
        });

        it('refuses an anonymous request let through by optional with MISSING_CREDENTIALS', async () => {
          const app = await startWithLaunch({ optional: true });
          const hash = hashHeaders('order-42');
          expectRefusal(await app.send(transfer(hash)), 'MISSING_CREDENTIALS');
          expect((await app.send({ method: 'POST', path: '/api/p' })).body).toEqual({ vk: null });
          expect((await app.send(transfer({ authorization, ...hash }))).status).toBe(200);
        });

        it("is the framework's 500, not a 401, with no launch-params check before it, or a getter that throws", async () => {
          const headers = { authorization: `Bearer ${await launch()}`, ...hashHeaders('order-42') };
          const wiring = await start();
          const reply = await wiring.send(transfer(headers, { path: '/open/hash' }));
          expectServerError(wiring, reply, wiring.serverErrors[0]);
          expect(String(wiring.serverErrors[0])).toMatch(/no launch-params check/);
          const throwing = await start();
          expectServerError(
            throwing,
            await throwing.send(transfer(headers, { path: '/api/hash-throws' })),
            throwing.serverErrors[0],
          );
          expect(String(throwing.serverErrors[0])).toMatch(/payload getter failed/);
        });

        it('answers random sign and ts headers with a 401 and a documented code, never a 500', async () => {
          const app = await startWithLaunch();
          const headerText = fc.string({
            unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
          });
          await fc.assert(
            fc.asyncProperty(
              fc.oneof(headerText, fc.stringMatching(/^[A-Za-z0-9_-]{43}$/)),
              fc.oneof(headerText, fc.nat().map(String)),
              fc.string(),
              async (sign, ts, requestId) => {
                const reply = await app.send(
                  transfer({ authorization, 'x-vk-sign': sign, 'x-vk-sign-ts': ts }, { body: { requestId } }),
                );
                expect(reply.status).toBe(401);
                expect(VK_AUTH_ERROR_CODES).toContain(driver.codeOf(reply.body));
              },
            ),
            { numRuns: 40 },
          );
        });
      });

      describe('requireCreateHash bound to the body, and replay', () => {
        /** A transfer as the client sends it: these bytes, not what a parser makes of them. */
        const TEXT = '{"to":7,"amount":100,"note":"за обед"}';
        /** TEXT with one byte changed. */
        const TAMPERED = TEXT.replace('100', '900');
        let authorization: string;

        async function startBound(options: DriverOptions = {}) {
          authorization = `Bearer ${await launch()}`;
          return start(options);
        }

        /**
         * A request to `/api/hash-body` sending `text`, with a fresh sign over `payload` (default:
         * a payload bound to `signedFor`, itself `text` by default) in the three headers.
         */
        async function bound(
          text: string,
          { signedFor = text, payload }: { signedFor?: string; payload?: string } = {},
        ): Promise<Sent> {
          const signed = payload ?? (await bodyBoundPayload(signedFor));
          return {
            method: 'POST',
            path: '/api/hash-body',
            text,
            headers: { authorization, 'x-vk-sign-payload': signed, ...hashHeaders(signed) },
          };
        }

        /** What the handler parsed of the body, as the route echoes it. */
        const echoed = (reply: Reply) => (reply.body as { body?: unknown }).body;

        it('lets in a sign bound to the exact bytes of the body; the handler still parses the body', async () => {
          const app = await startBound();
          for (const text of [TEXT, '{ "to": 7,\n  "amount": 100 }']) {
            const reply = await app.send(await bound(text));
            expect(reply.status, reply.text).toBe(200);
            expect(echoed(reply)).toEqual(JSON.parse(text));
            expect((reply.body as { vk: { params: LaunchParams } }).vk.params.vk_user_id).toBe(USER_ID);
          }
          expect(app.seen).toHaveLength(2);
          expect(app.serverErrors).toEqual([]);
        });

        it('CREATE_HASH_INVALID for a body one byte off, or the same JSON in other bytes, before the handler', async () => {
          const app = await startBound();
          expectRefusal(await app.send(await bound(TAMPERED, { signedFor: TEXT })), 'CREATE_HASH_INVALID');
          expectRefusal(
            await app.send(await bound(TEXT.replace(',', ', '), { signedFor: TEXT })),
            'CREATE_HASH_INVALID',
          );
          expect(app.seen).toEqual([]);
          expect(app.serverErrors).toEqual([]);
        });

        it('CREATE_HASH_INVALID for a signed payload that is not body_sha256=…;nonce=…, CREATE_HASH_MISSING for none', async () => {
          const app = await startBound();
          const good = await bodyBoundPayload(TEXT);
          const [, digest = '', nonce = ''] = /^body_sha256=([0-9a-f]{64});nonce=(.+)$/.exec(good) ?? [];
          for (const payload of [
            'order-42',
            `body_sha256=${digest}`,
            `body_sha256=${digest.toUpperCase()};nonce=${nonce}`,
            `body_sha256=${digest};nonce=too-short`,
            `nonce=${nonce};body_sha256=${digest}`,
            `${good};amount=100`,
          ]) {
            // Each validly signed: the shape is what is refused.
            expectRefusal(await app.send(await bound(TEXT, { payload })), 'CREATE_HASH_INVALID');
          }
          // With bindBody, the payload is read from X-VK-Sign-Payload: without it, there is none.
          const { 'x-vk-sign-payload': _payload, ...headers } = (await bound(TEXT)).headers ?? {};
          expectRefusal(await app.send({ ...(await bound(TEXT)), headers }), 'CREATE_HASH_MISSING');
          expect(app.seen).toEqual([]);
        });

        it('accepts each sign once: the same request again is 401 CREATE_HASH_REPLAYED; a new sign passes', async () => {
          const app = await startBound();
          const transfer = await bound(TEXT);
          const first = await app.send(transfer);
          expect(first.status, first.text).toBe(200);
          expectRefusal(await app.send(transfer), 'CREATE_HASH_REPLAYED');
          expectRefusal(await app.send(transfer), 'CREATE_HASH_REPLAYED');
          // The same body signed again: a new nonce, a new payload, a new sign.
          expect((await app.send(await bound(TEXT))).status).toBe(200);
          expect(app.seen).toHaveLength(2);
          // Sent twice at the same moment, exactly one passes.
          const twice = await bound(TEXT);
          const replies = await Promise.all([app.send(twice), app.send(twice)]);
          expect(replies.map((reply) => reply.status).sort()).toEqual([200, 401]);
          expectRefusal(replies.find((reply) => reply.status === 401) as Reply, 'CREATE_HASH_REPLAYED');
          expect(app.serverErrors).toEqual([]);
        });

        it('does not spend a sign on a request it refuses: the right request then passes, once', async () => {
          const app = await startBound();
          const transfer = await bound(TEXT);
          expectRefusal(await app.send({ ...transfer, text: TAMPERED }), 'CREATE_HASH_INVALID');
          const { authorization: _authorization, ...anonymous } = transfer.headers ?? {};
          expectRefusal(await app.send({ ...transfer, headers: anonymous }), 'MISSING_CREDENTIALS');
          const reply = await app.send(transfer);
          expect(reply.status, reply.text).toBe(200);
          expect(echoed(reply)).toEqual(JSON.parse(TEXT));
          expectRefusal(await app.send(transfer), 'CREATE_HASH_REPLAYED');
          expect(app.seen).toHaveLength(1);
        });

        it('binds a request without a body to the empty body, whether the raw body is kept or not', async () => {
          for (const keepRawBody of [true, false]) {
            const app = await startBound({ keepRawBody });
            const empty = await bodyBoundPayload('');
            const get = (payload: string): Sent => ({
              path: '/api/hash-body',
              headers: { authorization, 'x-vk-sign-payload': payload, ...hashHeaders(payload) },
            });
            const reply = await app.send(get(empty));
            expect(reply.status, `keepRawBody: ${keepRawBody}: ${reply.text}`).toBe(200);
            expectRefusal(await app.send(get(await bodyBoundPayload(TEXT))), 'CREATE_HASH_INVALID');
            expect(app.serverErrors).toEqual([]);
          }
        });

        it('answers 503 when the replay store cannot answer, never letting the sign through; the handler never runs', async () => {
          // Next.js's adapter logs the error it answers 503 for: keep it off the test output, and check it.
          const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
          try {
            const down = new ReplayStoreUnavailableError('down');
            let claims = 0;
            const app = await startBound({
              replay: {
                claim: () => {
                  claims++;
                  return Promise.reject(down);
                },
              },
            });
            // The store is asked last: a request refused on its own merits never reaches it.
            expectRefusal(await app.send(await bound(TAMPERED, { signedFor: TEXT })), 'CREATE_HASH_INVALID');
            expect(claims).toBe(0);

            const reply = await app.send(await bound(TEXT));
            expect(claims).toBe(1);
            expect(reply.status, reply.text).toBe(503);
            expect(reply.headers['retry-after']).toBe('1');
            expect(reply.headers['www-authenticate']).toBeUndefined();
            expect(VK_AUTH_ERROR_CODES).not.toContain(driver.codeOf(reply.body));
            expect(reply.text).not.toContain(SECRET);
            expect(app.seen).toEqual([]);
            // Where the store's error goes, each framework's way.
            if (driver.framework === 'next') {
              // Answered 503 by the adapter itself, which logs it: nothing reaches Next.
              expect(app.serverErrors).toEqual([]);
              expect(logged).toHaveBeenCalledWith(down);
            } else if (driver.framework === 'hono' || driver.framework === 'nestjs' || driver.framework === 'fastify') {
              // Hono's HTTPException(503), Nest's ServiceUnavailableException, Fastify's plain 503 (Fastify
              // would send the store's message to the client): the store's error as cause.
              expect(app.serverErrors).toHaveLength(1);
              expect((app.serverErrors[0] as Error).cause).toBe(down);
              expect(reply.text).not.toContain('down');
            } else {
              // As it is: its status (503) tells Express and Koa what to answer.
              expect(app.serverErrors).toEqual([down]);
              expect(app.serverErrors[0]).toBe(down);
            }
          } finally {
            logged.mockRestore();
          }
        });

        it('takes bindBody with no payload getter (it reads X-VK-Sign-Payload), and checks bindBody and replay when created', async () => {
          const replay = createMemoryReplayStore();
          await expect(driver.createCreateHash({ secret: SECRET, bindBody: true, replay })).resolves.toBeUndefined();
          // NestJS's guard checks the options of @RequireCreateHash on the route's first request.
          if (driver.framework === 'nestjs') return;
          for (const [options, message] of [
            [{ secret: SECRET, bindBody: 'yes' }, /options\.bindBody/],
            [{ secret: SECRET, bindBody: true, replay: {} }, /options\.replay/],
            [{ secret: SECRET, bindBody: true, replay, maxAge: 0 }, /maxAge above 0/],
          ] as const) {
            const error = await driver.createCreateHash(options).then(
              () => undefined,
              (thrown: unknown) => thrown,
            );
            expect(error, String(message)).toBeInstanceOf(TypeError);
            expect((error as TypeError).message).toMatch(message);
          }
        });

        // Hono and Next.js hand the guard the Web Request, whose body it reads (from a clone in
        // Next.js): there is no raw body an app could forget to keep.
        it.skipIf(driver.framework === 'hono' || driver.framework === 'next')(
          "is the framework's 500, naming the fix, where the app kept no raw body of a request that has one",
          async () => {
            const app = await startBound({ keepRawBody: false });
            const reply = await app.send(await bound(TEXT));
            expectServerError(app, reply, app.serverErrors[0]);
            expect(String(app.serverErrors[0])).toMatch(/needs the raw request body/);
            expect(app.seen).toEqual([]);
          },
        );
      });

      describe('requireGroupRole (admin or editor of the community the app was launched from)', () => {
        const GROUP = 123;
        const OTHER_GROUP = 456;
        /** The Authorization of a launch from `group` whose viewer has `role` there (`null`: left out). */
        const launchedAs = async (role: string | null, group: number | null = GROUP) =>
          bearer(await launch({ vk_group_id: group ?? undefined, vk_viewer_group_role: role ?? undefined }));
        const onGroup = (group: string | number, headers: Record<string, string>): Sent => ({
          path: `/api/groups/${group}/role`,
          headers,
        });
        const groupOf = (reply: Reply) => (reply.body as { vk: { params: LaunchParams } }).vk.params.vk_group_id;

        it('lets in an admin and an editor of the community: 200, and the handler runs', async () => {
          const app = await start({ resolveUser: ivan });
          for (const role of ['admin', 'editor']) {
            for (const method of ['GET', 'POST'] as const) {
              const reply = await app.send({ method, path: '/api/role', headers: await launchedAs(role) });
              expect(reply.status, `${role} ${method}: ${reply.text}`).toBe(200);
              expect(groupOf(reply)).toBe(GROUP);
            }
          }
          expect(app.seen).toHaveLength(4);
          expect(app.serverErrors).toEqual([]);
        });

        it('refuses any other role, and a launch from no community, with 403 GROUP_ROLE_FORBIDDEN, before the handler', async () => {
          const app = await start();
          const refused = [
            await launchedAs('member'),
            await launchedAs('moder'),
            await launchedAs('none'),
            await launchedAs('Admin'), // roles are compared as VK sends them
            await launchedAs(null), // a community, but no role
            await launchedAs('admin', null), // a role, but no community
            await launchedAs(null, null), // the app opened outside any community
            bearer(await launch()),
          ];
          for (const headers of refused) {
            expectRefusal(await app.send({ path: '/api/role', headers }), 'GROUP_ROLE_FORBIDDEN');
            expectRefusal(await app.send(onGroup(GROUP, headers)), 'GROUP_ROLE_FORBIDDEN');
          }
          expect(app.seen).toEqual([]);
          expect(app.serverErrors).toEqual([]);
          // Routes without the guard need no role.
          expect((await app.send({ headers: await launchedAs('member') })).status).toBe(200);
        });

        it('binds the role to the community the request acts on: an admin of one community is refused on another', async () => {
          const app = await start();
          const admin = await launchedAs('admin');
          const same = await app.send(onGroup(GROUP, admin));
          expect(same.status, same.text).toBe(200);
          expect(groupOf(same)).toBe(GROUP);
          const other = await app.send(onGroup(OTHER_GROUP, admin));
          expectRefusal(other, 'GROUP_ROLE_FORBIDDEN');
          expect(driver.codeOf(other.body)).toBe('GROUP_ROLE_FORBIDDEN');
          expect(JSON.stringify(other.body)).toContain(String(GROUP));
          expect(JSON.stringify(other.body)).toContain(String(OTHER_GROUP));
          // The admin of the other community gets in there, and not here.
          const theirs = await launchedAs('admin', OTHER_GROUP);
          expect((await app.send(onGroup(OTHER_GROUP, theirs))).status).toBe(200);
          expectRefusal(await app.send(onGroup(GROUP, theirs)), 'GROUP_ROLE_FORBIDDEN');
          // A member of the right community is still refused.
          expectRefusal(await app.send(onGroup(GROUP, await launchedAs('member'))), 'GROUP_ROLE_FORBIDDEN');
          expect(app.seen).toHaveLength(2);
          expect(app.serverErrors).toEqual([]);
        });

        it('refuses a route parameter that is not the canonical digits of a positive id with 403, never a 500', async () => {
          const app = await start();
          const admin = await launchedAs('admin');
          for (const param of [
            'abc',
            '123abc',
            '-123',
            '0',
            '0123',
            '123.0',
            '1e3',
            '%20123',
            '0x7b',
            '99999999999999999',
          ]) {
            const reply = await app.send(onGroup(param, admin));
            expectRefusal(reply, 'GROUP_ROLE_FORBIDDEN');
            if (/[a-z]/.test(param)) expect(reply.text, param).not.toContain(param); // what the client sent is never echoed
          }
          expect(app.seen).toEqual([]);
          expect(app.serverErrors).toEqual([]);
        });

        it('takes the id as a number or digits, from a getter that may be async; anything else is a 403', async () => {
          const admin = await launchedAs('admin');
          for (const groupId of [(param?: string) => Number(param), async (param?: string) => param]) {
            const app = await start({ groupId });
            expect((await app.send(onGroup(GROUP, admin))).status).toBe(200);
            expectRefusal(await app.send(onGroup(OTHER_GROUP, admin)), 'GROUP_ROLE_FORBIDDEN');
            expectRefusal(await app.send(onGroup('abc', admin)), 'GROUP_ROLE_FORBIDDEN'); // NaN
          }
          for (const value of [undefined, null, {}, [String(GROUP)], GROUP + 0.5, -GROUP, Number.NaN, true, 123n]) {
            const app = await start({ groupId: () => value });
            expectRefusal(await app.send(onGroup(GROUP, admin)), 'GROUP_ROLE_FORBIDDEN');
            expect(app.serverErrors).toEqual([]);
          }
        });

        it('comes after the launch-params check: missing or bad launch params are refused first, with 401', async () => {
          const app = await start();
          expectRefusal(await app.send({ path: '/api/role' }), 'MISSING_CREDENTIALS');
          const admin = (await launchedAs('admin')).authorization;
          const forged = admin.replace(`vk_user_id=${USER_ID}`, `vk_user_id=${USER_ID + 1}`);
          expectRefusal(await app.send(onGroup(GROUP, { authorization: forged })), 'SIGN_INVALID');
          // A role cannot be claimed by editing the launch: the role and the community are signed.
          const promoted = (await launchedAs('member')).authorization.replace(
            'vk_viewer_group_role=member',
            'vk_viewer_group_role=admin',
          );
          expectRefusal(await app.send({ path: '/api/role', headers: { authorization: promoted } }), 'SIGN_INVALID');
          expect(app.seen).toEqual([]);
        });

        it('refuses an anonymous request let through by optional with 401 MISSING_CREDENTIALS', async () => {
          const app = await start({ optional: true });
          expectRefusal(await app.send({ path: '/api/role' }), 'MISSING_CREDENTIALS');
          expectRefusal(await app.send(onGroup(GROUP, {})), 'MISSING_CREDENTIALS');
          expect((await app.send()).body).toEqual({ vk: null });
          expect((await app.send({ path: '/api/role', headers: await launchedAs('editor') })).status).toBe(200);
        });

        it("is the framework's 500, not a refusal, with no launch-params check before it, or a groupId getter that throws", async () => {
          const admin = await launchedAs('admin');
          const wiring = await start();
          expectServerError(wiring, await wiring.send({ path: '/open/role', headers: admin }), wiring.serverErrors[0]);
          expect(String(wiring.serverErrors[0])).toMatch(/no launch-params check/);
          expect(String(wiring.serverErrors[0])).toMatch(/VkMiniAppAuth/i);
          for (const groupId of [
            () => {
              throw new Error('groupId getter failed');
            },
            async () => Promise.reject(new Error('groupId getter failed')),
          ]) {
            const throwing = await start({ groupId });
            const reply = await throwing.send(onGroup(GROUP, admin));
            expectServerError(throwing, reply, throwing.serverErrors[0]);
            expect(String(throwing.serverErrors[0])).toMatch(/groupId getter failed/);
            expect(throwing.seen).toEqual([]);
          }
        });

        it(`hands its refusals to the adapter's refusal channel (${driver.restyleThrough}): the 403 VkAuthError`, async () => {
          const errors: VkAuthError[] = [];
          const app = await start({
            restyle: (error) => {
              errors.push(error);
              return { status: 418, body: { reason: error.code, status: error.status } };
            },
          });
          const reply = await app.send(onGroup(OTHER_GROUP, await launchedAs('admin')));
          expect(reply.status).toBe(418);
          expect(reply.body).toEqual({ reason: 'GROUP_ROLE_FORBIDDEN', status: 403 });
          expect(reply.headers['www-authenticate']).toBe(
            driver.restyleThrough === 'onError' ? undefined : challengeFor('GROUP_ROLE_FORBIDDEN'),
          );
          expect(errors).toHaveLength(1);
          expect(VkAuthError.is(errors[0], 'GROUP_ROLE_FORBIDDEN')).toBe(true);
          expect(errors[0]?.status).toBe(403);
          expect(app.seen).toEqual([]);
          expect(app.serverErrors).toEqual([]);
        });

        it('checks its arguments when created: a TypeError names the bad one', async () => {
          const bad: [unknown[], RegExp][] = [
            [[], /at least one role/],
            [[{ groupId: () => GROUP }], /at least one role/],
            [[['admin', 'editor']], /roles as arguments, not an array/],
            [[''], /roles must be non-empty strings.*role 1 is an empty string/],
            [['admin', 42], /roles must be non-empty strings.*role 2 is number/],
            [['admin', undefined], /roles must be non-empty strings.*role 2 is undefined/],
            [['admin', null], /roles must be non-empty strings.*role 2 is null/],
            [['admin', { groupId: 'groupId' }], /options\.groupId must be a function/],
            ...(driver.restyleThrough === 'onError'
              ? ([[['admin', { onError: 403 }], /options\.onError must be a function/]] as [unknown[], RegExp][])
              : []),
          ];
          for (const [args, message] of bad) {
            const error = await driver.createGroupRole(args).then(
              () => undefined,
              (thrown: unknown) => thrown,
            );
            expect(error, String(message)).toBeInstanceOf(TypeError);
            expect((error as TypeError).message).toMatch(message);
          }
          await expect(driver.createGroupRole(['admin'])).resolves.toBeUndefined();
          await expect(driver.createGroupRole(['admin', 'editor', { groupId: () => GROUP }])).resolves.toBeUndefined();
          await expect(driver.createGroupRole(['moder', {}])).resolves.toBeUndefined();
        });
      });

      describe('CORS preflights', () => {
        const preflight = (path = '/api/p'): Sent => ({
          method: 'OPTIONS',
          path,
          headers: {
            origin: 'https://example.com',
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization, x-vk-sign, x-vk-sign-ts',
          },
        });

        if (driver.preflight === 'passes') {
          it('pass the adapter and the CreateHash guard untouched, to whatever answers them', async () => {
            const users = counted();
            const app = await start({ resolveUser: users.resolveUser });
            for (const path of ['/api/p', '/api/hash', '/open/hash', '/api/role', '/open/role']) {
              const reply = await app.send(preflight(path));
              expect(reply.status, path).toBe(200);
              expect(reply.body, path).toEqual({ vk: null });
              expect(reply.headers['www-authenticate'], path).toBeUndefined();
            }
            expect(app.seen.map((vk) => vk ?? 'absent')).toEqual(['absent', 'absent', 'absent', 'absent', 'absent']);
            expect(users.calls).toBe(0);
            expect(app.serverErrors).toEqual([]);
          });

          it('only when Access-Control-Request-Method says so: any other OPTIONS is checked', async () => {
            const app = await start();
            expectRefusal(await app.send({ method: 'OPTIONS' }), 'MISSING_CREDENTIALS');
            const wiring = await app.send({ method: 'OPTIONS', path: '/open/hash' });
            expect(wiring.status).toBe(500);
          });
        } else {
          it('are checked like any request: refused with MISSING_CREDENTIALS, the handler never runs', async () => {
            const users = counted();
            const app = await start({ resolveUser: users.resolveUser });
            expectRefusal(await app.send(preflight()), 'MISSING_CREDENTIALS');
            expect(app.seen).toEqual([]);
            expect(users.calls).toBe(0);
          });

          it('go on with vk null under optional: true, and a CreateHash or group-role guard refuses them', async () => {
            const app = await start({ optional: true });
            const reply = await app.send(preflight());
            expect(reply.status).toBe(200);
            expect(reply.body).toEqual({ vk: null });
            expect(app.seen).toEqual([null]);
            expectRefusal(await app.send(preflight('/api/hash')), 'MISSING_CREDENTIALS');
            expectRefusal(await app.send(preflight('/api/role')), 'MISSING_CREDENTIALS');
            expect(app.seen).toEqual([null]);
          });
        }
      });

      describe('the verified-credential cache', () => {
        it('serves a repeated credential: the same verified params, resolveUser run again each time', async () => {
          let calls = 0;
          const app = await start({ resolveUser: (params) => ({ id: params.vk_user_id, call: ++calls }) });
          const headers = bearer(await launch());
          const replies = [await app.send({ headers }), await app.send({ headers })];
          expect(replies.map((reply) => (reply.body as { vk: { user: unknown } }).vk.user)).toEqual([
            { id: USER_ID, call: 1 },
            { id: USER_ID, call: 2 },
          ]);
          const [first, second] = app.seen as { params: LaunchParams }[];
          expect(second?.params).toBe(first?.params);
        });

        it('with cache: false or 0, verifies every request in full', async () => {
          for (const cache of [false, 0]) {
            const app = await start({ cache });
            const headers = bearer(await launch());
            await app.send({ headers });
            await app.send({ headers });
            const [first, second] = app.seen as { params: LaunchParams }[];
            expect(second?.params).not.toBe(first?.params);
            expect(second?.params).toEqual(first?.params);
          }
        });

        it('checks the age of a remembered credential on every request', async () => {
          let time = NOW_MS;
          const app = await start({ now: () => time });
          const headers = bearer(await launch());
          await app.send({ headers });
          await app.send({ headers });
          const [first, second] = app.seen as { params: LaunchParams }[];
          expect(second?.params).toBe(first?.params); // remembered
          time = NOW_MS + (OLDEST_S + 1) * 1000;
          expectRefusal(await app.send({ headers }), 'EXPIRED');
        });

        it('never remembers a refusal: a launch from the future is let in once the clock reaches it', async () => {
          let time = NOW_MS;
          const app = await start({ now: () => time });
          const headers = bearer(await launch({ vk_ts: NOW_S + 120 }));
          expectRefusal(await app.send({ headers }), 'TS_IN_FUTURE');
          expectRefusal(await app.send({ headers }), 'TS_IN_FUTURE');
          time = NOW_MS + 120_000;
          expect((await app.send({ headers })).status).toBe(200);
        });
      });

      describe('sessions (the session option)', () => {
        /** An app with sessions on, its clock at `clock.ms`. */
        async function startWithSessions(
          clock: { ms: number },
          session: Partial<SessionOptions> = {},
          options: DriverOptions = {},
        ) {
          return start({
            now: () => clock.ms,
            resolveUser: ivan,
            session: { secret: SESSION_SECRET, ...session },
            ...options,
          });
        }

        const sessionOf = (reply: Reply) => reply.headers['vk-session'];

        it('answers a valid launch with a token in VK-Session, exposed to CORS, that any JWT library verifies', async () => {
          const clock = { ms: NOW_MS };
          const app = await startWithSessions(clock);
          const query = await launch();
          const reply = await app.send({ headers: bearer(query) });
          expect(reply.status, reply.text).toBe(200);
          const token = sessionOf(reply) as string;
          expect(token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
          expect(reply.headers['access-control-expose-headers']).toMatch(/(^|,\s*)VK-Session(,|$)/i);
          // vk.session holds it too (NestJS's driver reads vk through the param decorators, which give params and user).
          if (driver.framework !== 'nestjs')
            expect((reply.body as { vk: { session?: string } }).vk.session).toBe(token);
          // Interop: plain jose, nothing of this library.
          const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(SESSION_SECRET), {
            currentDate: new Date(NOW_MS),
            audience: String(APP_ID),
            subject: String(USER_ID),
          });
          expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'vk-session+jwt' });
          expect(payload).toMatchObject({ iat: NOW_S, exp: NOW_S + 900, auth_time: NOW_S });
          expect(payload.vk).toEqual(JSON.parse(JSON.stringify(await verified(query))));
        });

        it('lets a session token in with the same vk as its launch, resolveUser run on the restored params', async () => {
          const clock = { ms: NOW_MS };
          const app = await startWithSessions(clock);
          const query = await launch();
          const token = sessionOf(await app.send({ headers: bearer(query) })) as string;
          clock.ms += 60_000;
          for (const authorization of [`Bearer ${token}`, token]) {
            const reply = await app.send({ headers: { authorization } });
            expect(reply.status, reply.text).toBe(200);
            expect(reply.body).toEqual(vkBody(await verified(query), { id: USER_ID, name: 'Ivan' }));
            expect(sessionOf(reply)).toBeUndefined(); // not yet half its life: no renewal
          }
          const [, fromToken] = app.seen as { params: LaunchParams }[];
          expect(Object.isFrozen(fromToken?.params)).toBe(true);
        });

        it('renews a token past half its ttl, so a user with the app open for hours stays in', async () => {
          const clock = { ms: NOW_MS };
          const app = await startWithSessions(clock);
          const query = await launch();
          let token = sessionOf(await app.send({ headers: bearer(query) })) as string;
          // Every 10 minutes for 3 hours: the launch itself expired after an hour.
          for (let minute = 10; minute <= 180; minute += 10) {
            clock.ms = NOW_MS + minute * 60_000;
            const reply = await app.send({ headers: bearer(token) });
            expect(reply.status, `${minute} min: ${reply.text}`).toBe(200);
            token = sessionOf(reply) ?? token;
          }
          expect(decodeJwt(token).iat).toBeGreaterThan(NOW_S + 2 * 3600);
          expectRefusal(await app.send({ headers: bearer(query) }), 'EXPIRED');
        });

        it('refuses a token past its exp with SESSION_EXPIRED, and one past maxLifetime however it was renewed', async () => {
          const clock = { ms: NOW_MS };
          const app = await startWithSessions(clock, { ttl: 600, maxLifetime: 1800 });
          let token = sessionOf(await app.send({ headers: bearer(await launch()) })) as string;
          clock.ms = NOW_MS + (600 + 31) * 1000;
          expectRefusal(await app.send({ headers: bearer(token) }), 'SESSION_EXPIRED');
          // Renewed every 5 minutes: the chain still ends at maxLifetime.
          clock.ms = NOW_MS;
          token = sessionOf(await app.send({ headers: bearer(await launch()) })) as string;
          let last = 0;
          for (let s = 300; s < 1800 + 300; s += 300) {
            clock.ms = NOW_MS + s * 1000;
            const reply = await app.send({ headers: bearer(token) });
            if (reply.status !== 200) {
              expectRefusal(reply, 'SESSION_EXPIRED');
              break;
            }
            last = s;
            token = sessionOf(reply) ?? token;
            expect(decodeJwt(token).exp).toBeLessThanOrEqual(NOW_S + 1800);
          }
          expect(last).toBeLessThanOrEqual(1800);
          expect(last).toBeGreaterThanOrEqual(1500);
        });

        it('refuses with SESSION_INVALID a token of another key, edited or of another type; another app’s with APP_ID_MISMATCH', async () => {
          const clock = { ms: NOW_MS };
          const app = await startWithSessions(clock, {}, { appId: APP_ID });
          const token = sessionOf(await app.send({ headers: bearer(await launch()) })) as string;
          const [header, payload, signature] = token.split('.') as [string, string, string];
          const claims = decodeJwt(token);
          const key = new TextEncoder().encode(SESSION_SECRET);
          const resigned = (edit: Record<string, unknown>, typ = 'vk-session+jwt', secret = key) =>
            new SignJWT({ ...claims, ...edit }).setProtectedHeader({ alg: 'HS256', typ }).sign(secret);
          const edited = Buffer.from(JSON.stringify({ ...claims, sub: '1' })).toString('base64url');
          const refused = [
            `${header}.${edited}.${signature}`,
            `${header}.${payload}.${signature.slice(0, -2)}AA`,
            await resigned({}, 'JWT'),
            await resigned({}, 'vk-session+jwt', new TextEncoder().encode('another-key-another-key-another-key!')),
            await resigned({ vk: { ...(claims.vk as object), vk_user_id: 'admin' } }),
            await resigned({ vk: { ...(claims.vk as object), __proto__x: 1 } }),
          ];
          for (const bad of refused) expectRefusal(await app.send({ headers: bearer(bad) }), 'SESSION_INVALID');
          // A token for an app the adapter does not accept: its own app check, as for launch params.
          const otherApp = await resigned({ aud: '51', vk: { ...(claims.vk as object), vk_app_id: 51 } });
          expectRefusal(await app.send({ headers: bearer(otherApp) }), 'APP_ID_MISMATCH');
          expect(app.seen).toHaveLength(1); // the launch that got the token
        });

        it('verifies tokens of every listed key (rotation), signing with the first', async () => {
          const clock = { ms: NOW_MS };
          const before = await startWithSessions(clock, { secret: OLD_SESSION_SECRET });
          const old = sessionOf(await before.send({ headers: bearer(await launch()) })) as string;
          const after = await startWithSessions(clock, { secret: [SESSION_SECRET, OLD_SESSION_SECRET] });
          clock.ms += 500_000; // past half the ttl: renewed under the new key
          const reply = await after.send({ headers: bearer(old) });
          expect(reply.status, reply.text).toBe(200);
          await expect(
            jwtVerify(sessionOf(reply) as string, new TextEncoder().encode(SESSION_SECRET), {
              currentDate: new Date(clock.ms),
            }),
          ).resolves.toBeDefined();
          const revoked = await startWithSessions(clock, { secret: SESSION_SECRET });
          expectRefusal(await revoked.send({ headers: bearer(old) }), 'SESSION_INVALID');
        });

        it('without the option, issues nothing and refuses a token like any credential that is not launch params', async () => {
          const clock = { ms: NOW_MS };
          const withSessions = await startWithSessions(clock);
          const token = sessionOf(await withSessions.send({ headers: bearer(await launch()) })) as string;
          const app = await start({ now: () => clock.ms });
          const reply = await app.send({ headers: bearer(await launch()) });
          expect(reply.status).toBe(200);
          expect(sessionOf(reply)).toBeUndefined();
          expect(reply.headers['access-control-expose-headers']).toBeUndefined();
          expectRefusal(await app.send({ headers: bearer(token) }), 'MALFORMED');
        });

        it('refuses a short session secret when the adapter is created, never echoing it', async () => {
          const error = await driver.create({ secret: SECRET, session: { secret: 'short-session-key' } }).then(
            () => undefined,
            (thrown: unknown) => thrown,
          );
          expect(error).toBeInstanceOf(TypeError);
          expect((error as TypeError).message).toMatch(/session\.secret/);
          expect((error as TypeError).message).not.toContain('short-session-key');
        });
      });

      describe('MAX launches beside VK and OK ones (the max option)', () => {
        const MAX_USER = { id: 67890, first_name: 'Макс', last_name: 'User', username: null, language_code: 'ru' };
        const max = { botToken: BOT_TOKEN };
        /** Init data MAX signed `ageS` seconds before the test clock, with `botToken`. */
        const maxInitData = (data: MaxInitDataToSign = {}, { ageS = 60, botToken = BOT_TOKEN } = {}) =>
          signMaxInitData({ user: MAX_USER, query_id: 'q-1', auth_date: NOW_S - ageS, ...data }, botToken);
        /** The `vk` a MAX launch answers, JSON's way. */
        const maxBody = async (initData: string, user?: unknown) => {
          const data = await verifyMaxInitData(initData, { botToken: BOT_TOKEN, now });
          return { vk: JSON.parse(JSON.stringify({ platform: 'max', userId: MAX_USER.id, max: data, user })) };
        };
        /** Keys accounts on the launch's (platform, userId), as docs/max.md shows. */
        const byPlatform = (_params: unknown, _request: Incoming, launch: VkLaunch | MaxLaunch) => ({
          key: `${launch.platform}:${launch.userId}`,
        });

        it('lets a MAX launch in, in every form it travels in: vk is { platform: "max", userId, max, user }', async () => {
          const app = await start({ max, resolveUser: byPlatform });
          const initData = await maxInitData();
          const expected = await maxBody(initData, { key: `max:${MAX_USER.id}` });
          const forms = [
            `tma ${initData}`,
            `max ${initData}`,
            `TMA ${initData}`,
            `Bearer ${initData}`,
            initData,
            encodeURIComponent(initData),
            launchUrl(initData),
            `tma ${launchUrl(initData)}`,
          ];
          for (const authorization of forms) {
            const reply = await app.send({ headers: { authorization } });
            expect(reply.status, `${authorization.slice(0, 40)}: ${reply.text}`).toBe(200);
            expect(reply.body).toEqual(expected);
          }
          expect(app.seen).toHaveLength(forms.length);
          const [vk] = app.seen as MaxContext<unknown>[];
          expect(vk?.params).toBeUndefined();
          expect(vk?.max.auth_date).toEqual(new Date((NOW_S - 60) * 1000));
          expect(Object.isFrozen(vk?.max)).toBe(true);
          expect(Object.isFrozen(vk?.max.user)).toBe(true);
          expect(app.serverErrors).toEqual([]);
        });

        it('tells MAX from VK by top-level keys alone: a value holding &sign= or &hash= stays with its own scheme', async () => {
          const app = await start({ max, resolveUser: byPlatform });
          const photo = 'https://sun9-1.userapi.com/impg/a.jpg?size=200x200&quality=96&sign=0123abcd&type=album';
          const tricky = await maxInitData({
            user: { ...MAX_USER, first_name: 'a&sign=b', photo_url: photo },
            start_param: 'ref&sign=1?sign=2',
          });
          for (const authorization of [tricky, `Bearer ${tricky}`, encodeURIComponent(tricky), launchUrl(tricky)]) {
            const reply = await app.send({ headers: { authorization } });
            expect(reply.status, `${authorization.slice(0, 30)}: ${reply.text}`).toBe(200);
            expect((reply.body as { vk: { platform: string } }).vk.platform).toBe('max');
          }
          const vkQuery = await launch({ vk_ref: 'x&hash=1#WebAppData=2' });
          const reply = await app.send({ headers: bearer(vkQuery) });
          expect(reply.body).toEqual(vkBody(await verified(vkQuery), { key: `vk:${USER_ID}` }));
          // The VK scheme is VK's: MAX init data under it are refused in VK's terms.
          expectRefusal(await app.send({ headers: { authorization: `VK ${tricky}` } }), 'SIGN_MISSING');
        });

        it('still lets VK and OK launches in on the same app: one back end, the platform on vk and in resolveUser', async () => {
          const launches: unknown[] = [];
          const app = await start({
            max,
            resolveUser: (params, request, launch) => {
              launches.push([params === undefined ? undefined : params.vk_user_id, request.header('x-id'), launch]);
              return byPlatform(params, request, launch);
            },
          });
          const vkQuery = await launch();
          const okQuery = await launch({ vk_client: 'ok', vk_ok_user_id: 585434281343, vk_ok_app_id: 512000000001 });
          const initData = await maxInitData();
          const vkReply = await app.send({ headers: { ...bearer(vkQuery), 'x-id': 'vk' } });
          const okReply = await app.send({ headers: { ...bearer(okQuery), 'x-id': 'ok' } });
          const maxReply = await app.send({ headers: { authorization: `tma ${initData}`, 'x-id': 'max' } });
          expect(vkReply.body).toEqual(vkBody(await verified(vkQuery), { key: `vk:${USER_ID}` }));
          expect(okReply.body).toEqual(vkBody(await verified(okQuery), { key: 'ok:585434281343' }));
          expect(maxReply.body).toEqual(await maxBody(initData, { key: `max:${MAX_USER.id}` }));
          expect(launches).toEqual([
            [USER_ID, 'vk', { platform: 'vk', userId: USER_ID, params: await verified(vkQuery) }],
            [USER_ID, 'ok', { platform: 'ok', userId: 585434281343, params: await verified(okQuery) }],
            [
              undefined,
              'max',
              { platform: 'max', userId: MAX_USER.id, max: expect.objectContaining({ query_id: 'q-1' }) },
            ],
          ]);
        });

        it('refuses bad MAX init data with 401, the challenge and the code, before resolveUser and the handler', async () => {
          const users = counted();
          const app = await start({ max, resolveUser: users.resolveUser });
          const initData = await maxInitData();
          const tampered = initData.replace('q-1', 'q-2');
          const refused: [string, VkAuthErrorCode][] = [
            [`tma ${tampered}`, 'SIGN_INVALID'],
            [`tma ${await maxInitData({}, { botToken: 'another-bot-token' })}`, 'SIGN_INVALID'],
            [`tma ${initData.replace(/hash=[0-9a-f]+/, `hash=${'0'.repeat(64)}`)}`, 'SIGN_INVALID'],
            [`tma ${await maxInitData({}, { ageS: OLDEST_S + 1 })}`, 'EXPIRED'],
            [`tma ${await maxInitData({}, { ageS: -3600 })}`, 'TS_IN_FUTURE'],
            [`tma query_id=q-1&${initData}`, 'DUPLICATE_PARAM'],
            [`tma ${await maxInitData({ user: '{"id":' })}`, 'MALFORMED'],
            [`tma ${await maxInitData({ user: undefined })}`, 'USER_ID_MISSING'],
            [`tma ${'a'.repeat(MAX_INPUT_LENGTH + 1)}`, 'TOO_LARGE'],
            ['tma', 'MISSING_CREDENTIALS'],
            ['max ', 'MISSING_CREDENTIALS'],
            ['tma not init data', 'MALFORMED'],
          ];
          for (const [authorization, code] of refused) {
            const reply = await app.send({ headers: { authorization } });
            expect(reply.status, `${code}: ${authorization.slice(0, 60)}`).toBe(statusOf(code));
            expectRefusal(reply, code);
            expect(reply.text).not.toContain(BOT_TOKEN);
          }
          expect(app.seen).toEqual([]);
          expect(users.calls).toBe(0);
          expect(app.serverErrors).toEqual([]);
        });

        it('answers any text after a MAX scheme, and MAX-shaped garbage, with a 401 and a documented code, never a 500', async () => {
          const app = await start({ max });
          await fc.assert(
            fc.asyncProperty(
              fc.constantFrom('tma ', 'max ', 'Bearer ', ''),
              fc.oneof(
                fc.string({ maxLength: 200 }),
                fc.string({ maxLength: 60 }).map((value) => `auth_date=${NOW_S}&user=${value}&hash=${'a'.repeat(64)}`),
                fc.string({ maxLength: 60 }).map((value) => `#WebAppData=${value}`),
              ),
              async (scheme, text) => {
                const reply = await app.send({
                  headers: { authorization: `${scheme}${text}`.replace(/[\r\n\0]/g, '') },
                });
                expect(reply.status, reply.text).toBe(401);
                expect(VK_AUTH_ERROR_CODES).toContain(driver.codeOf(reply.body));
              },
            ),
            { numRuns: 40 },
          );
          expect(app.seen).toEqual([]);
          expect(app.serverErrors).toEqual([]);
        });

        it('without the max option refuses MAX init data like any launch params that are not VK’s', async () => {
          const app = await start();
          for (const authorization of [`tma ${await maxInitData()}`, await maxInitData()]) {
            const reply = await app.send({ headers: { authorization } });
            expect(reply.status).toBe(401);
            expect(['MALFORMED', 'SIGN_MISSING']).toContain(driver.codeOf(reply.body));
          }
          expect(app.seen).toEqual([]);
        });

        it('with optional, takes a MAX scheme alone as no credentials: vk null', async () => {
          const app = await start({ max, optional: true });
          const reply = await app.send({ headers: { authorization: 'tma' } });
          expect(reply.status, reply.text).toBe(200);
          expect(reply.body).toEqual({ vk: null });
          expectRefusal(
            await app.send({ headers: { authorization: `tma ${(await maxInitData()).replace('q-1', 'q-2')}` } }),
            'SIGN_INVALID',
          );
        });

        it('refuses a MAX launch on a group-role route with 403, on a CreateHash route with 401: both are VK’s', async () => {
          const app = await start({ max });
          const authorization = `tma ${await maxInitData()}`;
          expectRefusal(await app.send({ path: '/api/role', headers: { authorization } }), 'GROUP_ROLE_FORBIDDEN');
          const payload = 'request-1';
          const reply = await app.send({
            method: 'POST',
            path: '/api/hash',
            headers: { authorization, ...hashHeaders(payload) },
            body: { requestId: payload },
          });
          expectRefusal(reply, 'CREATE_HASH_INVALID');
          expect(app.seen).toEqual([]);
          expect(app.serverErrors).toEqual([]);
        });

        it('issues no session for a MAX launch; VK launches still get theirs', async () => {
          const app = await start({ max, session: { secret: SESSION_SECRET } });
          const maxReply = await app.send({ headers: { authorization: `tma ${await maxInitData()}` } });
          expect(maxReply.status, maxReply.text).toBe(200);
          expect(maxReply.headers['vk-session']).toBeUndefined();
          const vkReply = await app.send({ headers: bearer(await launch()) });
          expect(vkReply.headers['vk-session']).toMatch(/^eyJ/);
        });

        it('checks auth_date against the max option’s maxAge and the adapter’s clock', async () => {
          const clock = { ms: NOW_MS };
          const app = await start({ max: { ...max, maxAge: 300 }, now: () => clock.ms });
          const authorization = `tma ${await maxInitData({}, { ageS: 0 })}`;
          expect((await app.send({ headers: { authorization } })).status).toBe(200);
          clock.ms = NOW_MS + (300 + 30) * 1000;
          expect((await app.send({ headers: { authorization } })).status).toBe(200);
          clock.ms += 1000;
          expectRefusal(await app.send({ headers: { authorization } }), 'EXPIRED');
        });

        it('answers 500, not 401, to every request while the bot token has no value, as for a missing secret', async () => {
          const app = await start({ max: { botToken: '' } });
          const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
          try {
            for (const authorization of [`tma ${await maxInitData()}`, `Bearer ${await launch()}`]) {
              const reply = await app.send({ headers: { authorization } });
              expect(reply.status, authorization.slice(0, 10)).toBe(500);
            }
            expect(app.serverErrors).toHaveLength(2);
            expect((app.serverErrors[0] as Error).message).toMatch(/options\.max\.botToken has no value/);
            expect(app.seen).toEqual([]);
          } finally {
            errors.mockRestore();
          }
        });
      });

      describe('options', () => {
        const when = {
          express: 'vkMiniAppAuth(…) is called',
          koa: 'vkMiniAppAuth(…) is called',
          hono: 'vkMiniAppAuth(…) is called',
          next: 'vkMiniAppAuth(…) is called',
          fastify: 'the plugin is registered',
          nestjs: 'VkMiniAppAuthModule.forRoot(…) is called',
        }[driver.framework];

        it(`are checked when ${when}: a bad one throws a TypeError naming it, never the secret`, async () => {
          const bad = BAD_OPTIONS.filter(([options]) => {
            // Fastify hands a plugin registered without options `{}`: a secret with no value yet,
            // which waits for the first request (missing-options.node-only.test.ts).
            if (options === undefined) return driver.framework !== 'fastify';
            // Only the adapters with an onError option check one.
            return driver.restyleThrough === 'onError' || !Object.hasOwn(options as object, 'onError');
          });
          for (const [options, message] of bad) {
            const error = await driver.create(options).then(
              () => undefined,
              (thrown: unknown) => thrown,
            );
            expect(error, String(message)).toBeInstanceOf(TypeError);
            expect((error as TypeError).message).toMatch(message);
            expect((error as TypeError).message).not.toContain(SECRET);
          }
          await expect(driver.create({ secret: SECRET, appId: APP_ID, maxAge: 60, cache: 0 })).resolves.toBeUndefined();
        });
      });
    },
  );
}
