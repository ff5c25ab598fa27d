// The Web-standard handler, as a plain (Request) => Response and inside Hono
// (app.request): every answer VK can get, on both crypto back ends.
import fc from 'fast-check';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import {
  createPaymentsHandler,
  type GetItemAnswer,
  type OrderStatusChangeNotification,
  PAYMENTS_ERROR_CODES,
  type PaymentNotification,
  PaymentsError,
  type PaymentsHandlerOptions,
  type PaymentsReply,
} from '../../src/payments.js';
import {
  getItem,
  getSubscription,
  orderStatusChange,
  post,
  SECRET,
  signed,
  subscriptionStatusChange,
  USER_ID,
} from './fixtures.js';

const ITEMS: Record<string, GetItemAnswer> = {
  badge: { title: 'Golden badge', price: 3, item_id: 'badge', photo_url: 'https://example.com/badge.png' },
  stickers: { title: 'Sticker pack', price: 10, discount: 2, expiration: 600 },
};

/** Orders in memory, keyed as the docs say: VK's order_id and test. */
function memoryShop() {
  const orders = new Map<string, number>();
  const recordOrder = vi.fn(async (n: OrderStatusChangeNotification) => {
    const key = `${n.order_id}:${n.test}`;
    let id = orders.get(key);
    if (id === undefined) {
      id = orders.size + 1000;
      orders.set(key, id);
    }
    return { app_order_id: id };
  });
  return { orders, recordOrder };
}

function handlerWith(overrides: Partial<PaymentsHandlerOptions> = {}) {
  const shop = memoryShop();
  const onError = vi.fn();
  const getItemCallback = vi.fn((n: { item: string }) => ITEMS[n.item] ?? null);
  const handler = createPaymentsHandler({
    secret: SECRET,
    getItem: getItemCallback,
    orderStatusChange: shop.recordOrder,
    onError,
    ...overrides,
  });
  return { handler, shop, onError, getItem: getItemCallback };
}

async function answer(response: Response): Promise<PaymentsReply> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  return (await response.json()) as PaymentsReply;
}

async function send(handler: (request: Request) => Promise<Response>, body: string): Promise<PaymentsReply> {
  return answer(await handler(post(body)));
}

function expectError(reply: PaymentsReply, code: number, critical: boolean): string {
  expect(reply).toEqual({ error: { error_code: code, error_msg: expect.any(String), critical } });
  const message = (reply as { error: { error_msg: string } }).error.error_msg;
  expect(message).not.toContain(SECRET);
  return message;
}

describe('createPaymentsHandler: answers', () => {
  it('answers get_item with the item, as VK expects it', async () => {
    const { handler, getItem: callback } = handlerWith();
    expect(await send(handler, signed(getItem()))).toEqual({ response: ITEMS.badge });
    expect(await send(handler, signed(getItem({ item: 'stickers' })))).toEqual({ response: ITEMS.stickers });
    expect(callback).toHaveBeenCalledWith(expect.objectContaining({ type: 'get_item', item: 'badge', test: false }));
  });

  it('answers error 20 (critical) when getItem returns null', async () => {
    const { handler } = handlerWith();
    expectError(await send(handler, signed(getItem({ item: 'no-such-thing' }))), 20, true);
  });

  it('passes the _test variants to the same callbacks with test: true', async () => {
    const { handler, getItem: callback, shop } = handlerWith();
    expect(await send(handler, signed(getItem({ notification_type: 'get_item_test' })))).toEqual({
      response: ITEMS.badge,
    });
    expect(callback).toHaveBeenLastCalledWith(
      expect.objectContaining({ test: true, notification_type: 'get_item_test' }),
    );
    await send(handler, signed(orderStatusChange({ notification_type: 'order_status_change_test' })));
    expect(shop.recordOrder).toHaveBeenLastCalledWith(expect.objectContaining({ test: true }));
  });

  it('answers order_status_change with order_id and app_order_id, the same for a repeated notification', async () => {
    const { handler, shop } = handlerWith();
    const body = signed(orderStatusChange());
    const first = await send(handler, body);
    expect(first).toEqual({ response: { order_id: 2044861, app_order_id: 1000 } });
    expect(await send(handler, body)).toEqual(first);
    expect(shop.recordOrder).toHaveBeenCalledTimes(2);
    // A test order with the same VK order id is another order.
    expect(await send(handler, signed(orderStatusChange({ notification_type: 'order_status_change_test' })))).toEqual({
      response: { order_id: 2044861, app_order_id: 1001 },
    });
  });

  it('answers subscriptions: get_subscription with its period, subscription_status_change with its ids', async () => {
    const { handler } = handlerWith({
      getSubscription: (n) =>
        n.item === 'premium' ? { title: 'Premium', price: 10, period: 30, trial_duration: 3 } : null,
      subscriptionStatusChange: (n) => ({ app_order_id: n.subscription_id + 1 }),
    });
    expect(await send(handler, signed(getSubscription()))).toEqual({
      response: { title: 'Premium', price: 10, period: 30, trial_duration: 3 },
    });
    expectError(await send(handler, signed(getSubscription({ item: 'gold' }))), 20, true);
    expect(await send(handler, signed(subscriptionStatusChange()))).toEqual({
      response: { subscription_id: 31337, app_order_id: 31338 },
    });
  });

  it('answers error 10 (critical) to a forged, altered or unsigned notification, calling nothing', async () => {
    const { handler, shop, getItem: callback, onError } = handlerWith();
    const body = signed(orderStatusChange());
    const forgedSecret = signed(orderStatusChange(), 'not-the-secret');
    const altered = body.replace('item_price=3', 'item_price=1');
    const unsigned = body.replace(/&sig=[0-9a-f]+$/, '');
    for (const forged of [
      forgedSecret,
      altered,
      unsigned,
      `${unsigned}&sig=${'a'.repeat(32)}`,
      `${unsigned}&sig=xyz`,
    ]) {
      const message = expectError(await send(handler, forged), 10, true);
      expect(message).toBe('The signature does not match.');
    }
    expectError(await send(handler, signed(getItem(), 'wrong')), 10, true);
    expect(shop.recordOrder).not.toHaveBeenCalled();
    expect(callback).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });

  it('answers error 11 (critical) to malformed fields, saying which', async () => {
    const { handler, shop } = handlerWith();
    const message = expectError(await send(handler, signed(orderStatusChange({ order_id: 'abc' }))), 11, true);
    expect(message).toContain('order_id');
    expectError(await send(handler, signed(orderStatusChange({ status: '' }))), 11, true);
    expectError(await send(handler, `${signed(getItem())}&item=stickers`), 11, true);
    expectError(await send(handler, `${signed(getItem())}&x=%ZZ`), 11, true);
    expect(shop.recordOrder).not.toHaveBeenCalled();
  });

  it('answers a thrown PaymentsError with its code, message and criticality', async () => {
    const cases: [PaymentsError, PaymentsReply][] = [
      [
        new PaymentsError(101, 'Purchases are off for you.'),
        { error: { error_code: 101, error_msg: 'Purchases are off for you.', critical: true } },
      ],
      [
        new PaymentsError(PAYMENTS_ERROR_CODES.ITEM_UNAVAILABLE),
        { error: { error_code: 21, error_msg: 'This item is not available.', critical: true } },
      ],
      [
        new PaymentsError(2),
        { error: { error_code: 2, error_msg: 'Temporary error; please retry.', critical: false } },
      ],
      [
        new PaymentsError(999, 'Later', { critical: false }),
        { error: { error_code: 999, error_msg: 'Later', critical: false } },
      ],
      [
        new PaymentsError(22, undefined, { critical: false }),
        { error: { error_code: 22, error_msg: 'No such user.', critical: false } },
      ],
    ];
    for (const [error, expected] of cases) {
      const { handler, onError } = handlerWith({
        getItem: () => {
          throw error;
        },
        orderStatusChange: async () => {
          throw error;
        },
      });
      expect(await send(handler, signed(getItem()))).toEqual(expected);
      expect(await send(handler, signed(orderStatusChange()))).toEqual(expected);
      expect(onError).not.toHaveBeenCalled();
    }
  });

  it('answers error 2 (not critical) when a callback fails, reporting it to onError and never showing its message', async () => {
    const failure = new Error('connect ECONNREFUSED db.internal:5432 password=hunter2');
    const { handler, onError } = handlerWith({
      orderStatusChange: async () => {
        throw failure;
      },
    });
    const reply = await send(handler, signed(orderStatusChange()));
    const message = expectError(reply, 2, false);
    expect(message).not.toContain('hunter2');
    expect(JSON.stringify(reply)).not.toContain('ECONNREFUSED');
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(
      failure,
      expect.objectContaining({ type: 'order_status_change', order_id: 2044861 }),
    );
  });

  it('a throwing onError changes nothing, and without onError the failure goes to console.error', async () => {
    const { handler } = handlerWith({
      getItem: () => {
        throw new TypeError('bug');
      },
      onError: () => {
        throw new Error('logger down');
      },
    });
    expectError(await send(handler, signed(getItem())), 2, false);

    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const quiet = createPaymentsHandler({
        secret: SECRET,
        getItem: () => {
          throw new Error('bug');
        },
        orderStatusChange: () => ({ app_order_id: 1 }),
      });
      expectError(await send(quiet, signed(getItem())), 2, false);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]?.[0])).toContain('vk-miniapp-auth/payments');
    } finally {
      spy.mockRestore();
    }
  });

  it('checks answers before sending: a bad one is error 1 and a TypeError saying what to fix goes to onError', async () => {
    const badItems: [unknown, RegExp][] = [
      [{ title: 'x'.repeat(49), price: 1 }, /title.*49 characters.*48/],
      [{ title: '', price: 1 }, /title/],
      [{ title: 'Badge', price: 0 }, /price/],
      [{ title: 'Badge', price: 1.5 }, /price/],
      [{ title: 'Badge', price: '3' }, /price/],
      [{ title: 'Badge', price: 3, photo_url: 'ftp://x/y.png' }, /photo_url/],
      [{ title: 'Badge', price: 3, photo_url: '/badge.png' }, /photo_url/],
      [{ title: 'Badge', price: 3, discount: 3 }, /discount/],
      [{ title: 'Badge', price: 3, expiration: 100 }, /expiration/],
      [{ title: 'Badge', price: 3, item_id: '' }, /item_id/],
      [{ title: 'Badge', price: 3, photoUrl: 'https://x' }, /unknown fields \(photoUrl\)/],
      ['Badge', /must answer an object/],
      [[], /must answer an object/],
      [undefined, /must answer an object/],
    ];
    for (const [bad, pattern] of badItems) {
      const { handler, onError } = handlerWith({ getItem: () => bad as GetItemAnswer });
      expectError(await send(handler, signed(getItem())), 1, true);
      expect(onError).toHaveBeenCalledTimes(1);
      const [error] = onError.mock.calls[0] as [Error];
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toMatch(pattern);
    }
  });

  it('takes a title of 48 characters counted as characters, not UTF-16 units', async () => {
    const title = '🎁'.repeat(48);
    const { handler } = handlerWith({ getItem: () => ({ title, price: 5, expiration: 0 }) });
    expect(await send(handler, signed(getItem()))).toEqual({ response: { title, price: 5, expiration: 0 } });
  });

  it('checks status-change answers: a bad one is error 1, not critical, so VK retries once the app is fixed', async () => {
    const bad: unknown[] = [{}, { app_order_id: 0 }, { app_order_id: '7' }, { app_order_id: 7, order_id: 1 }, null];
    for (const answerValue of bad) {
      const { handler, onError } = handlerWith({ orderStatusChange: () => answerValue as never });
      expectError(await send(handler, signed(orderStatusChange())), 1, false);
      expect(onError).toHaveBeenCalledWith(expect.any(TypeError), expect.objectContaining({ order_id: 2044861 }));
    }
    const { handler } = handlerWith({ orderStatusChange: () => ({ app_order_id: 7, order_id: 2044861 }) });
    expect(await send(handler, signed(orderStatusChange()))).toEqual({
      response: { order_id: 2044861, app_order_id: 7 },
    });
  });

  it('answers error 1 (critical) to a notification type it has no callback for, or does not know', async () => {
    const { handler } = handlerWith();
    expect(expectError(await send(handler, signed(getSubscription())), 1, true)).toContain('get_subscription');
    expectError(await send(handler, signed(subscriptionStatusChange())), 1, true);
    expectError(await send(handler, signed(getItem({ notification_type: 'refund_request' }))), 1, true);
    expectError(await send(handler, signed({ app_id: 1 })), 1, true);
  });

  it('answers 405 with Allow: POST to other methods, and 11 to a body of another content type', async () => {
    const { handler } = handlerWith();
    const response = await handler(new Request('http://localhost/payments'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    const json = await handler(
      new Request('http://localhost/payments', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(Object.fromEntries(new URLSearchParams(signed(getItem())))),
      }),
    );
    expectError(await answer(json), 11, true);
    // No content type at all: read as a form.
    const bare = await handler(
      new Request('http://localhost/payments', { method: 'POST', body: new TextEncoder().encode(signed(getItem())) }),
    );
    expect(await answer(bare)).toEqual({ response: ITEMS.badge });
    // A charset parameter is fine.
    const charset = await handler(
      new Request('http://localhost/payments', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: signed(getItem()),
      }),
    );
    expect(await answer(charset)).toEqual({ response: ITEMS.badge });
  });

  it('answers 11 to a body over 32 KiB, declared or streamed, without buffering it all', async () => {
    const { handler } = handlerWith();
    expectError(await send(handler, `${signed(getItem())}&pad=${'x'.repeat(40_000)}`), 11, true);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(8192).fill(0x61));
      },
    });
    const streamed = await handler(
      new Request('http://localhost/payments', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: endless,
        duplex: 'half',
      } as RequestInit),
    );
    expectError(await answer(streamed), 11, true);
    expect(pulled).toBeLessThan(10);
  });

  it('answers 11 when something read the body before the handler', async () => {
    const { handler } = handlerWith();
    const request = post(signed(getItem()));
    await request.text();
    expectError(await answer(await handler(request)), 11, true);
  });

  it('reply() answers parsed forms the same way, and never rejects', async () => {
    const { handler } = handlerWith();
    const fields = Object.fromEntries(new URLSearchParams(signed(getItem())));
    expect(await handler.reply(fields)).toEqual({ response: ITEMS.badge });
    expect(await handler.reply(new URLSearchParams(signed(getItem())))).toEqual({ response: ITEMS.badge });
    expectError(await handler.reply(42 as never), 11, true);
    expectError(await handler.reply({}), 10, true);
  });

  it('gives callbacks typed notifications (compile-time check)', async () => {
    const seen: PaymentNotification[] = [];
    const handler = createPaymentsHandler({
      secret: SECRET,
      getItem: (n) => {
        seen.push(n);
        const lang: string | undefined = n.lang;
        return lang === 'en_US' ? { title: 'Badge', price: 3 } : { title: 'Значок', price: 3 };
      },
      orderStatusChange: (n) => ({ app_order_id: n.order_id }),
      onError: (_error, n) => seen.push(n),
    });
    expect(await send(handler, signed(getItem({ lang: 'en_US' })))).toEqual({ response: { title: 'Badge', price: 3 } });
    expect(seen[0]).toMatchObject({ user_id: USER_ID });
  });
});

function sameFields(a: string, b: string): boolean {
  return JSON.stringify([...new URLSearchParams(a)]) === JSON.stringify([...new URLSearchParams(b)]);
}

describe('createPaymentsHandler: garbage', () => {
  it('answers any body, random or a mutated real notification, with HTTP 200 and error 10 or 11, calling nothing', async () => {
    const { handler, shop, getItem: callback, onError } = handlerWith();
    const real = signed(orderStatusChange());
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.nat({ max: real.length - 1 }), fc.string({ minLength: 1, maxLength: 3 }))
        .map(([at, text]) => real.slice(0, at) + text + real.slice(at + 1)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        // A mutation that decodes to the same fields ('+' for ' ', '%d0' for '%D0') is still VK's notification.
        if (typeof payload === 'string' && sameFields(payload, real)) return;
        const response = await handler(
          new Request('http://localhost/payments', {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: payload,
          }),
        );
        const reply = await answer(response);
        expect('error' in reply && [10, 11].includes(reply.error.error_code)).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(shop.recordOrder).not.toHaveBeenCalled();
    expect(callback).not.toHaveBeenCalled();
    expect(onError).not.toHaveBeenCalled();
  });
});

describe('createPaymentsHandler: configuration', () => {
  it('throws a TypeError at start-up for missing or unpaired callbacks, a bad secret or a bad onError', () => {
    const item = { getItem: () => null, orderStatusChange: () => ({ app_order_id: 1 }) };
    expect(() => createPaymentsHandler({ secret: SECRET })).toThrow(/give getItem and orderStatusChange/);
    expect(() => createPaymentsHandler({ secret: SECRET, getItem: () => null })).toThrow(/together/);
    expect(() => createPaymentsHandler({ secret: SECRET, orderStatusChange: () => ({ app_order_id: 1 }) })).toThrow(
      /together/,
    );
    expect(() => createPaymentsHandler({ secret: SECRET, ...item, getSubscription: () => null })).toThrow(/together/);
    expect(() => createPaymentsHandler({ secret: SECRET, ...item, getItem: 'x' as never })).toThrow(/function/);
    expect(() => createPaymentsHandler({ secret: [], ...item })).toThrow(TypeError);
    expect(() => createPaymentsHandler({ secret: SECRET, ...item, onError: 1 as never })).toThrow(/onError/);
    expect(() => createPaymentsHandler(undefined as never)).toThrow(TypeError);
    expect(() =>
      createPaymentsHandler({
        secret: SECRET,
        getSubscription: () => null,
        subscriptionStatusChange: () => ({}),
      }),
    ).not.toThrow();
  });

  it('PaymentsError takes VK codes and 100–999, needs a message from 100 on, and is recognised across copies', () => {
    for (const code of [0, 3, 12, 99, 1000, 1.5, Number.NaN])
      expect(() => new PaymentsError(code, 'x')).toThrow(TypeError);
    expect(() => new PaymentsError(150)).toThrow(/needs a message/);
    expect(() => new PaymentsError(150, '  ')).toThrow(/needs a message/);
    const error = new PaymentsError(20);
    expect(error).toMatchObject({ name: 'PaymentsError', code: 20, critical: true, message: 'No such item.' });
    expect(PaymentsError.is(error)).toBe(true);
    expect(PaymentsError.is(Object.assign(new Error('x'), { name: 'PaymentsError', code: 1, critical: true }))).toBe(
      true,
    );
    expect(PaymentsError.is(new Error('x'))).toBe(false);
    expect(PaymentsError.is({ name: 'PaymentsError', code: 1, critical: true })).toBe(false);
  });
});

describe('in Hono', () => {
  function app() {
    const shop = memoryShop();
    const payments = createPaymentsHandler({
      secret: SECRET,
      getItem: (n) => ITEMS[n.item] ?? null,
      orderStatusChange: shop.recordOrder,
      onError: () => {},
    });
    return new Hono().post('/payments', (c) => payments(c.req.raw));
  }

  const init = (body: string): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });

  it('answers real signed notifications, a repeated one identically, and a forged one with error 10', async () => {
    const hono = app();
    expect(await answer(await hono.request('/payments', init(signed(getItem()))))).toEqual({ response: ITEMS.badge });
    const order = signed(orderStatusChange());
    const first = await answer(await hono.request('/payments', init(order)));
    expect(first).toEqual({ response: { order_id: 2044861, app_order_id: 1000 } });
    expect(await answer(await hono.request('/payments', init(order)))).toEqual(first);
    expectError(await answer(await hono.request('/payments', init(signed(orderStatusChange(), 'forged')))), 10, true);
  });
});
