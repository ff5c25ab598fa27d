// paymentsExpress over real HTTP (supertest) on Express 5 and 4, with and
// without the body parsers apps commonly mount first, and on plain node:http.
import { createServer, type Server } from 'node:http';
import express, { type Express } from 'express';
import expressV4 from 'express-v4';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type OrderStatusChangeNotification, type PaymentsReply, paymentsExpress } from '../../src/payments.js';
import { getItem, orderStatusChange, SECRET, signed } from './fixtures.js';

const FORM = 'application/x-www-form-urlencoded';

function options() {
  const orders = new Map<string, number>();
  return {
    secret: SECRET,
    getItem: (n: { item: string }) => (n.item === 'badge' ? { title: 'Golden badge', price: 3 } : null),
    orderStatusChange: vi.fn((n: OrderStatusChangeNotification) => {
      const key = `${n.order_id}:${n.test}`;
      if (!orders.has(key)) orders.set(key, orders.size + 1);
      return { app_order_id: orders.get(key) as number };
    }),
    onError: vi.fn(),
  };
}

const PARSERS: Record<string, (app: Express) => void> = {
  'no body parser': () => {},
  'express.urlencoded({ extended: false })': (app) => app.use(express.urlencoded({ extended: false })),
  'express.urlencoded({ extended: true })': (app) => app.use(express.urlencoded({ extended: true })),
  'express.json() only': (app) => app.use(express.json()),
  'express.text({ type: "*/*" })': (app) => app.use(express.text({ type: '*/*' })),
  'express.raw({ type: "*/*" })': (app) => app.use(express.raw({ type: '*/*' })),
};

const FLAVOURS: Record<string, () => Express> = {
  'Express 5': () => express(),
  'Express 4': () => expressV4() as unknown as Express,
};

function expectJson(response: request.Response): PaymentsReply {
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.body as PaymentsReply;
}

for (const [flavour, createApp] of Object.entries(FLAVOURS)) {
  describe(`paymentsExpress on ${flavour}`, () => {
    for (const [parserName, mountParser] of Object.entries(PARSERS)) {
      it(`with ${parserName}: answers signed notifications, a repeated one identically, a forged one with 10`, async () => {
        const app = createApp();
        mountParser(app);
        const opts = options();
        app.post('/payments', paymentsExpress(opts));

        const item = await request(app).post('/payments').type(FORM).send(signed(getItem()));
        expect(expectJson(item)).toEqual({ response: { title: 'Golden badge', price: 3 } });

        const order = signed(orderStatusChange());
        const first = expectJson(await request(app).post('/payments').type(FORM).send(order));
        expect(first).toEqual({ response: { order_id: 2044861, app_order_id: 1 } });
        expect(expectJson(await request(app).post('/payments').type(FORM).send(order))).toEqual(first);

        const forged = expectJson(
          await request(app).post('/payments').type(FORM).send(signed(orderStatusChange(), 'x')),
        );
        expect(forged).toEqual({
          error: { error_code: 10, error_msg: 'The signature does not match.', critical: true },
        });

        const repeated = expectJson(await request(app).post('/payments').type(FORM).send(`${order}&item=gold`));
        expect(repeated).toMatchObject({ error: { error_code: 11, critical: true } });
        expect(opts.orderStatusChange).toHaveBeenCalledTimes(2);
        expect(opts.onError).not.toHaveBeenCalled();
      });
    }

    it('answers 405 to a GET, 11 to a JSON body, and never reaches the error handler', async () => {
      const app = createApp();
      const failures: unknown[] = [];
      app.use(express.json());
      app.all('/payments', paymentsExpress(options()));
      app.use(((error, _req, res, _next) => {
        failures.push(error);
        res.status(500).end();
      }) as express.ErrorRequestHandler);
      const get = await request(app).get('/payments');
      expect(get.status).toBe(405);
      expect(get.headers.allow).toBe('POST');
      const json = await request(app)
        .post('/payments')
        .send(Object.fromEntries(new URLSearchParams(signed(getItem()))));
      expect(expectJson(json)).toMatchObject({ error: { error_code: 11 } });
      const big = await request(app)
        .post('/payments')
        .type(FORM)
        .send(`${signed(getItem())}&pad=${'x'.repeat(100_000)}`);
      expect(expectJson(big)).toMatchObject({ error: { error_code: 11 } });
      expect(failures).toEqual([]);
    });
  });
}

describe('paymentsExpress on plain node:http', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('is a request listener too, over real HTTP', async () => {
    const handle = paymentsExpress(options());
    server = createServer((req, res) => handle(req, res));
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const post = (body: string) =>
      fetch(`${origin}/payments`, { method: 'POST', headers: { 'content-type': FORM }, body }).then(
        async (response) => {
          expect(response.status).toBe(200);
          return response.json();
        },
      );
    expect(await post(signed(getItem()))).toEqual({ response: { title: 'Golden badge', price: 3 } });
    expect(await post(signed(orderStatusChange()))).toEqual({ response: { order_id: 2044861, app_order_id: 1 } });
    expect(await post(signed(orderStatusChange()))).toEqual({ response: { order_id: 2044861, app_order_id: 1 } });
    expect(await post(signed(getItem(), 'forged'))).toMatchObject({ error: { error_code: 10 } });
    // A body far over the limit: answered, the connection not torn down first.
    expect(await post(`${signed(getItem())}&pad=${'x'.repeat(1_000_000)}`)).toMatchObject({
      error: { error_code: 11 },
    });
  });
});
