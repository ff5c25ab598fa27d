// Every HTTP adapter mounted on one guarded route with the same options, and
// a way to send it one Authorization value: for the suites that must hold for
// all of them alike (hostile input, missing configuration).
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import request from 'supertest';
import { vkMiniAppAuth as expressAuth } from '../../src/adapters/express/index.js';
import { vkMiniAppAuth as fastifyAuth } from '../../src/adapters/fastify/index.js';
import { vkMiniAppAuth as honoAuth } from '../../src/adapters/hono/index.js';

import { vkMiniAppAuth as koaAuth } from '../../src/adapters/koa/index.js';
import { vkMiniAppAuth as nextAuth } from '../../src/adapters/next/index.js';
import type { VerifyOptions } from '../../src/index.js';

/**
 * Sends one Authorization value; resolves to the status, the stable code, if any, and the
 * WWW-Authenticate challenge (`null` without one).
 */
export type Send = (authorization: string) => Promise<{ status: number; code: unknown; challenge: string | null }>;

export async function adapters(options: VerifyOptions): Promise<[string, Send][]> {
  const expressApp = express()
    .use(expressAuth(options))
    .get('/p', (_req, res) => res.json({ ok: true }));
  const fastifyApp = Fastify();
  await fastifyApp.register(fastifyAuth, options);
  fastifyApp.get('/p', async () => ({ ok: true }));
  await fastifyApp.ready();
  const koaApp = new Koa().use(koaAuth(options)).use((ctx) => {
    ctx.body = { ok: true };
  });
  const honoApp = new Hono().use(honoAuth(options)).get('/p', (c) => c.json({ ok: true }));
  const nextHandler = nextAuth(options)(async () => Response.json({ ok: true }));
  // A refusal's body is JSON with its code; a framework's own 500 may be plain text.
  const fromResponse = async (response: Response) => ({
    status: response.status,
    code:
      response.status === 200 ? undefined : ((await response.json().catch(() => ({}))) as { error?: unknown }).error,
    challenge: response.headers.get('www-authenticate'),
  });
  const challengeOf = (headers: Record<string, unknown>) => {
    const value = headers['www-authenticate'];
    return typeof value === 'string' ? value : null;
  };
  // Next.js answers 500 when a route handler throws: the same here.
  const nextResponse = (authorization: string) =>
    nextHandler(new Request('http://localhost/p', { headers: { authorization } }), {}).catch(
      () => new Response('Internal Server Error', { status: 500 }),
    );
  return [
    [
      'express',
      async (authorization) => {
        const response = await request(expressApp).get('/p').set('Authorization', authorization);
        return { status: response.status, code: response.body.error, challenge: challengeOf(response.headers) };
      },
    ],
    [
      'fastify',
      async (authorization) => {
        const response = await fastifyApp.inject({ url: '/p', headers: { authorization } });
        return { status: response.statusCode, code: response.json().code, challenge: challengeOf(response.headers) };
      },
    ],
    [
      'koa',
      async (authorization) => {
        const response = await request(koaApp.callback()).get('/p').set('Authorization', authorization);
        return { status: response.status, code: response.body.error, challenge: challengeOf(response.headers) };
      },
    ],
    ['hono', async (authorization) => fromResponse(await honoApp.request('/p', { headers: { authorization } }))],
    ['next', async (authorization) => fromResponse(await nextResponse(authorization))],
  ];
}
