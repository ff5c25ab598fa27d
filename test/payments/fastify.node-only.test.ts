// paymentsFastify through Fastify's inject and over real HTTP, alone and next
// to an app-wide form parser (as @fastify/formbody would add).
import Fastify, { type FastifyInstance } from 'fastify';
import FastifyV4 from 'fastify-v4';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_NOTIFICATION_LENGTH,
  type OrderStatusChangeNotification,
  type PaymentsReply,
  paymentsFastify,
} from '../../src/payments.js';
import { getItem, orderStatusChange, SECRET, signed } from './fixtures.js';

const FORM = 'application/x-www-form-urlencoded';

function callbacks() {
  const orders = new Map<string, number>();
  return {
    secret: SECRET,
    getItem: (n: { item: string }) => (n.item === 'badge' ? { title: 'Golden badge', price: 3 } : null),
    orderStatusChange: vi.fn(async (n: OrderStatusChangeNotification) => {
      const key = `${n.order_id}:${n.test}`;
      if (!orders.has(key)) orders.set(key, orders.size + 1);
      return { app_order_id: orders.get(key) as number };
    }),
  };
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function inject(app: FastifyInstance, body: string, url = '/payments'): Promise<PaymentsReply> {
  const response = await app.inject({ method: 'POST', url, headers: { 'content-type': FORM }, payload: body });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.json();
}

/** Fastify 4 (the npm alias `fastify-v4`) is driven through Fastify 5's types, whose surface used here is the same. */
const versions = [
  ['Fastify 5', Fastify],
  ['Fastify 4', FastifyV4 as unknown as typeof Fastify],
] as const;

describe.each(versions)('paymentsFastify on %s', (_version, Fastify) => {
  async function build(setup: (app: FastifyInstance) => Promise<void> | void = () => {}) {
    const app = Fastify();
    apps.push(app);
    await setup(app);
    return app;
  }

  it('answers signed notifications, a repeated one identically, a forged one with 10 (inject)', async () => {
    const options = callbacks();
    const app = await build(async (a) => {
      await a.register(paymentsFastify, options);
    });
    expect(await inject(app, signed(getItem()))).toEqual({ response: { title: 'Golden badge', price: 3 } });
    const order = signed(orderStatusChange());
    const first = await inject(app, order);
    expect(first).toEqual({ response: { order_id: 2044861, app_order_id: 1 } });
    expect(await inject(app, order)).toEqual(first);
    expect(await inject(app, signed(orderStatusChange(), 'forged'))).toEqual({
      error: { error_code: 10, error_msg: 'The signature does not match.', critical: true },
    });
    expect(await inject(app, `${order}&order_id=1`)).toMatchObject({ error: { error_code: 11 } });
    expect(options.orderStatusChange).toHaveBeenCalledTimes(2);
  });

  it('over real HTTP, under a prefix and a path of its own', async () => {
    const app = await build(async (a) => {
      await a.register(paymentsFastify, { ...callbacks(), prefix: '/vk', path: '/pay' });
    });
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    const post = async (body: string) => {
      const response = await fetch(`${origin}/vk/pay`, { method: 'POST', headers: { 'content-type': FORM }, body });
      expect(response.status).toBe(200);
      return response.json();
    };
    expect(await post(signed(getItem()))).toEqual({ response: { title: 'Golden badge', price: 3 } });
    expect(await post(signed(orderStatusChange()))).toEqual({ response: { order_id: 2044861, app_order_id: 1 } });
    expect(await post(signed(orderStatusChange()))).toEqual({ response: { order_id: 2044861, app_order_id: 1 } });
    expect(await post(signed(getItem(), 'forged'))).toMatchObject({ error: { error_code: 10 } });
  });

  it('replaces an app-wide form parser in its own scope only', async () => {
    const app = await build(async (a) => {
      // What @fastify/formbody does: a parser giving an object, where repeated keys would be merged.
      a.addContentTypeParser(FORM, { parseAs: 'string' }, (_request, body, done) =>
        done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
      a.post('/elsewhere', async (request) => ({ parsed: request.body }));
      await a.register(paymentsFastify, callbacks());
    });
    expect(await inject(app, signed(getItem()))).toEqual({ response: { title: 'Golden badge', price: 3 } });
    // The raw parser sees the repeat that Object.fromEntries would have hidden.
    expect(await inject(app, `${signed(getItem())}&item=gold`)).toMatchObject({ error: { error_code: 11 } });
    const elsewhere = await app.inject({
      method: 'POST',
      url: '/elsewhere',
      headers: { 'content-type': FORM },
      payload: 'a=1',
    });
    expect(elsewhere.json()).toEqual({ parsed: { a: '1' } });
  });

  it('answers 11 to a JSON or text body, and refuses a bad path at registration', async () => {
    const app = await build(async (a) => {
      await a.register(paymentsFastify, callbacks());
    });
    const fields = Object.fromEntries(new URLSearchParams(signed(getItem())));
    const json = await app.inject({ method: 'POST', url: '/payments', payload: fields });
    expect(json.json()).toMatchObject({ error: { error_code: 11 } });
    const text = await app.inject({
      method: 'POST',
      url: '/payments',
      headers: { 'content-type': 'text/plain' },
      payload: signed(getItem()),
    });
    expect(text.json()).toMatchObject({ error: { error_code: 11 } });
    const bad = Fastify();
    apps.push(bad);
    await expect(bad.register(paymentsFastify, { ...callbacks(), path: 'payments' }).ready()).rejects.toThrow(/path/);
  });

  it('answers a body over 32 KiB with HTTP 200 and VK error 11, not a 413 of Fastify, over real HTTP', async () => {
    const app = await build(async (a) => {
      await a.register(paymentsFastify, callbacks());
    });
    const origin = await app.listen({ port: 0, host: '127.0.0.1' });
    const body = `${signed(getItem())}&padding=${'a'.repeat(MAX_NOTIFICATION_LENGTH)}`;
    const response = await fetch(`${origin}/payments`, { method: 'POST', headers: { 'content-type': FORM }, body });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toMatchObject({ error: { error_code: 11, critical: true } });
    // Other failures of the route still reach Fastify's own error handling.
    const stillFine = await post(origin, signed(getItem()));
    expect(stillFine).toEqual({ response: { title: 'Golden badge', price: 3 } });
  });

  it('a secret still missing when a notification arrives is a 500 (VK retries), never an answer', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const app = await build(async (a) => {
        await a.register(paymentsFastify, { ...callbacks(), secret: undefined as never });
      });
      const response = await app.inject({
        method: 'POST',
        url: '/payments',
        headers: { 'content-type': FORM },
        payload: signed(getItem()),
      });
      expect(response.statusCode).toBe(500);
      expect(logged.mock.calls.some(([message]) => String(message).includes('options.secret has no value'))).toBe(true);
    } finally {
      logged.mockRestore();
    }
  });
});

async function post(origin: string, body: string): Promise<unknown> {
  const response = await fetch(`${origin}/payments`, { method: 'POST', headers: { 'content-type': FORM }, body });
  return response.json();
}
