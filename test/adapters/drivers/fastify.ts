import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import FastifyV4 from 'fastify-v4';
import { expect } from 'vitest';
import { requireCreateHash, vkMiniAppAuth } from '../../../src/adapters/fastify/index.js';
import type { SecretOption } from '../../../src/options.js';
import {
  adapterOptions,
  brokenPayload,
  type Driver,
  type DriverOptions,
  fromNode,
  type Incoming,
  isRefusal,
  normalise,
  requestIdOf,
  single,
} from './driver.js';

const incoming = (request: FastifyRequest): Incoming => ({ header: (name) => single(request.headers[name]) });

const METHODS: ('GET' | 'POST' | 'OPTIONS')[] = ['GET', 'POST', 'OPTIONS'];

/**
 * Fastify 5 (`fastify`) or 4 (`fastify-v4`, seen through Fastify 5's types): the plugin
 * registered in the `/api` scope, requests through `app.inject`. Refusals are restyled with
 * `setErrorHandler`; an `onError` hook records what reaches Fastify's error handling.
 */
function fastifyDriver(name: string, createApp: typeof Fastify): Driver {
  return {
    name,
    framework: 'fastify',
    restyleThrough: 'setErrorHandler',
    preflight: 'passes',
    refusalBody: (code) => ({ statusCode: 401, code, error: 'Unauthorized', message: expect.any(String) }),
    codeOf: (body) => (body as { code?: unknown } | undefined)?.code,
    async create(options) {
      const app = createApp();
      try {
        await app.register(vkMiniAppAuth, options as never);
      } finally {
        await app.close();
      }
    },
    async start(options: DriverOptions) {
      const seen: unknown[] = [];
      const serverErrors: unknown[] = [];
      const { restyle } = options;
      const guard = (payload: (request: FastifyRequest) => string | undefined) =>
        requireCreateHash({ secret: options.secret as SecretOption, now: options.now, payload });
      const fromBody = guard((request) => requestIdOf(request.body));
      const answer = async (request: FastifyRequest) => {
        seen.push(request.vk);
        return { vk: request.vk ?? null };
      };

      const app: FastifyInstance = createApp();
      app.addHook('onError', async (_request, _reply, error) => {
        if (!isRefusal(error)) serverErrors.push(error);
      });
      if (restyle) {
        app.setErrorHandler(async (error, _request, reply: FastifyReply) => {
          if (!isRefusal(error)) return reply.send(error);
          const { status, body } = await restyle(error);
          return reply.code(status).send(body);
        });
      }
      await app.register(
        async (api) => {
          await api.register(vkMiniAppAuth, adapterOptions(options, incoming));
          api.route({ method: METHODS, url: '/p', handler: answer });
          api.route({ method: METHODS, url: '/hash', preHandler: fromBody, handler: answer });
          api.route({
            method: METHODS,
            url: '/hash-header',
            preHandler: guard((request) => single(request.headers['x-vk-sign-payload'])),
            handler: answer,
          });
          api.route({ method: METHODS, url: '/hash-throws', preHandler: guard(brokenPayload), handler: answer });
        },
        { prefix: '/api' },
      );
      // Outside the scope the plugin guards: request.vk is never set.
      app.route({ method: METHODS, url: '/open/hash', preHandler: fromBody, handler: answer });
      await app.ready();
      return {
        seen,
        serverErrors,
        async send(sent) {
          const { method, path, headers, payload } = normalise(sent);
          const response = await app.inject({
            method,
            url: path,
            headers,
            ...(payload === undefined ? {} : { payload }),
          });
          return fromNode(response.statusCode, response.headers, response.body);
        },
        close: () => app.close(),
      };
    },
  };
}

export const fastify5 = fastifyDriver('fastify 5', Fastify);
export const fastify4 = fastifyDriver('fastify 4', FastifyV4 as unknown as typeof Fastify);
