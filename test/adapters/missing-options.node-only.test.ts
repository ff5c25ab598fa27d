// A required option with no value when the adapter is created (the secret read
// from an environment that a build step does not have) must not break the
// module that creates it; the first request it guards then fails loudly: a
// 500, and the reason logged once, naming the option. Never a 401, never
// silence. Any other bad option still throws at once (the adapters' suites).
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { vkMiniAppAuth as honoAuth, requireCreateHash } from '../../src/adapters/hono/index.js';
import { signCreateHash } from '../../src/index.js';
import { MissingOptionError } from '../../src/missing-option.js';
import { createPaymentsHandler, signPaymentNotification } from '../../src/payments.js';
import { launch, now, SECRET } from '../helpers.js';
import { adapters } from './every-adapter.js';

let logged: MockInstance<typeof console.error>;

beforeEach(() => {
  logged = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  logged.mockRestore();
});

/** How many times the library logged the reason for `option` (frameworks may log their 500s too: those do not count). */
function reportsOf(option: string): number {
  const message = new MissingOptionError(option).message;
  return logged.mock.calls.filter(([first]) => first === message).length;
}

const MISSING = [
  ['secret', { secret: undefined, now }],
  ['secret', { secret: '', now }],
  ['secret', { secret: [SECRET, undefined], now }],
  ['appId', { secret: SECRET, appId: Number(undefined), now }],
] as const;

describe.each(MISSING)('options.%s with no value', (option, options) => {
  it('every adapter is created, answers 500 (never 401) and logs the reason once', async () => {
    const authorization = `Bearer ${await launch()}`;
    for (const [name, send, close] of await adapters(options as never)) {
      const before = reportsOf(option);
      for (let i = 0; i < 2; i++) {
        const { status } = await send(authorization);
        expect(status, name).toBe(500);
      }
      expect(reportsOf(option) - before, `${name} logs the reason once`).toBe(1);
      await close();
    }
  });
});

describe('a missing option', () => {
  it('is read again on each request, so the adapter works once it has a value', async () => {
    const options = { secret: undefined as unknown as string, now };
    const app = new Hono().use(honoAuth(options)).get('/', (c) => c.json({ user: c.get('vk').params.vk_user_id }));
    const authorization = `Bearer ${await launch()}`;
    expect((await app.request('/', { headers: { authorization } })).status).toBe(500);
    options.secret = SECRET;
    expect((await app.request('/', { headers: { authorization } })).status).toBe(200);
  });

  it("requireCreateHash's secret waits for the request too", async () => {
    const guarded = requireCreateHash({ secret: undefined as never, now, payload: () => 'p' });
    const app = new Hono().use(honoAuth({ secret: SECRET, now })).post('/', guarded, (c) => c.json({ ok: true }));
    const authorization = `Bearer ${await launch()}`;
    const hash = await signCreateHash(
      { payload: 'p', ts: Math.floor(now() / 1000) },
      { secret: SECRET, appId: 6736218, userId: 494075 },
    );
    const headers = { authorization, 'x-vk-sign': hash.sign, 'x-vk-sign-ts': String(hash.ts) };
    expect((await app.request('/', { method: 'POST', headers })).status).toBe(500);
    expect(reportsOf('secret')).toBe(1);
  });

  it('the payments handler is created, and a notification fails as a server error, not a refusal', async () => {
    const payments = createPaymentsHandler({
      secret: undefined as never,
      getItem: () => null,
      orderStatusChange: () => ({ app_order_id: 1 }),
    });
    const body = signPaymentNotification({ notification_type: 'get_item', app_id: 1, user_id: 1, item: 'x' }, SECRET);
    const post = () =>
      payments(
        new Request('http://localhost/payments', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      );
    await expect(post()).rejects.toBeInstanceOf(MissingOptionError);
    await expect(post()).rejects.toThrow(/options\.secret has no value/);
    expect(reportsOf('secret')).toBe(1);
  });

  it('still throws at once for a value of the wrong kind', () => {
    expect(() => honoAuth({ secret: 42 as never })).toThrow(TypeError);
    expect(() => honoAuth({ secret: SECRET, appId: 'abc' })).toThrow(/options\.appId/);
  });
});
