// requireCreateHash({ replay }) across instances: two Express apps (two "instances" of one back
// end, each with its own Redis client, node-redis and ioredis) over real HTTP, sharing one real
// Redis, accept a sign once between them; with Redis down, a request is a 503, never accepted.
import express, { type Express } from 'express';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { requireCreateHash, vkMiniAppAuth } from '../../src/adapters/express/index.js';
import { bodyBoundPayload, signCreateHash } from '../../src/index.js';
import { createRedisReplayStore, type ReplayStore } from '../../src/replay.js';
import { launch, NOW_MS, NOW_S, now, SECRET } from '../helpers.js';
import { closedPort, describeWithRedis } from '../redis.js';

/** One instance of the back end: POST /api/transfer needs a sign bound to the body, used once. */
function instance(replay: ReplayStore): Express {
  const app = express();
  app.set('env', 'test');
  app.use('/api', vkMiniAppAuth({ secret: SECRET, now }));
  app.post(
    '/api/transfer',
    // The raw body, kept as the docs say, for bindBody.
    express.json({ verify: (req, _res, buf) => Object.assign(req, { rawBody: buf }) }),
    requireCreateHash({ secret: SECRET, now, bindBody: true, replay }),
    (req, res) => {
      res.json({ amount: req.body.amount });
    },
  );
  return app;
}

/** A signed request, as createVkFetch({ createHash }) would send it. */
async function signedTransfer(body: string) {
  const payload = await bodyBoundPayload(body);
  const { sign, ts } = await signCreateHash({ payload, ts: NOW_S }, { secret: SECRET, appId: 6736218, userId: 494075 });
  return {
    body,
    headers: {
      authorization: `Bearer ${await launch()}`,
      'content-type': 'application/json',
      'x-vk-sign': sign,
      'x-vk-sign-ts': String(ts),
      'x-vk-sign-payload': payload,
    },
  };
}

const send = (app: Express, signed: Awaited<ReturnType<typeof signedTransfer>>) =>
  request(app).post('/api/transfer').set(signed.headers).send(signed.body);

describeWithRedis('a CreateHash sign used once across instances sharing Redis', (url) => {
  const nodeRedis = createClient({ url });
  const ioredis = new Redis(url);
  let first: Express;
  let second: Express;

  beforeAll(async () => {
    await nodeRedis.connect();
    first = instance(createRedisReplayStore(nodeRedis));
    second = instance(createRedisReplayStore(ioredis));
  });
  afterAll(async () => {
    await nodeRedis.quit();
    ioredis.disconnect();
  });

  it('the first instance accepts it; the other refuses the same request with CREATE_HASH_REPLAYED', async () => {
    const signed = await signedTransfer(JSON.stringify({ amount: 100, at: NOW_MS }));
    const accepted = await send(first, signed);
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body).toEqual({ amount: 100 });
    const replayed = await send(second, signed);
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ error: 'CREATE_HASH_REPLAYED' });
    expect((await send(first, signed)).status).toBe(401);
  });

  it('sent to both at once, exactly one of them accepts it', async () => {
    const signed = await signedTransfer(JSON.stringify({ amount: 7, race: Math.random() }));
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(i % 2 ? first : second, signed).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 401)).toHaveLength(9);
  });
});

it('with Redis down, a signed request is a 503, never accepted', async () => {
  const down = new Redis({
    port: await closedPort(),
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
  });
  down.on('error', () => {}); // the connection errors are expected here
  const app = instance(createRedisReplayStore(down, { timeoutMs: 500 }));
  const response = await send(app, await signedTransfer('{"amount":1}'));
  expect(response.status).toBe(503);
  expect(response.text).not.toContain('CREATE_HASH');
  down.disconnect();
});
