import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import expressV4 from 'express-v4';
import { requireCreateHash, requireGroupRole, vkMiniAppAuth } from '../../../src/adapters/express/index.js';
import type { SecretOption } from '../../../src/options.js';
import {
  adapterOptions,
  bodyBoundHashOptions,
  brokenPayload,
  creatorsOf,
  type Driver,
  type DriverOptions,
  GROUP_ROLES,
  groupIdOf,
  type Incoming,
  LIBRARY_REFUSAL_BODY,
  overHttp,
  requestIdOf,
} from './driver.js';

const incoming = (req: Request): Incoming => ({ header: (name) => req.get(name) });

/** Express 5 (`express`) or 4 (`express-v4`): `app.use('/api', vkMiniAppAuth(…))`, over real HTTP. */
function expressDriver(name: string, createApp: typeof express): Driver {
  return {
    name,
    framework: 'express',
    restyleThrough: 'onError',
    preflight: 'passes',
    ...LIBRARY_REFUSAL_BODY,
    ...creatorsOf({ launchParams: vkMiniAppAuth, groupRole: requireGroupRole, createHash: requireCreateHash }),
    async start(options: DriverOptions) {
      const seen: unknown[] = [];
      const serverErrors: unknown[] = [];
      const { restyle } = options;
      const onError = restyle
        ? async (error: Parameters<typeof restyle>[0], _req: Request, res: express.Response) => {
            const { status, body } = await restyle(error);
            res.status(status).json(body);
          }
        : undefined;
      const guard = (payload: (req: Request) => string | undefined) =>
        requireCreateHash({ secret: options.secret as SecretOption, now: options.now, payload, onError });
      const fromBody = guard((req) => requestIdOf(req.body));
      const bodyBound = requireCreateHash({ ...bodyBoundHashOptions(options), onError });

      const app = createApp();
      app.set('env', 'test'); // Express's own final handler: no stack traces on stderr
      app.use('/api', vkMiniAppAuth({ ...adapterOptions(options, incoming), onError }));
      const answer: RequestHandler = (req, res) => {
        seen.push(req.vk);
        res.json({ vk: req.vk ?? null });
      };
      const json = createApp.json();
      // As docs/express.md says: the JSON parser keeps the bytes it parsed as req.rawBody.
      const jsonKeepingRaw = createApp.json({
        verify: (req, _res, buf) => {
          Object.assign(req, { rawBody: buf });
        },
      });
      const answerWithBody: RequestHandler = (req, res) => {
        seen.push(req.vk);
        res.json({ vk: req.vk ?? null, body: req.body });
      };
      app.all('/api/p', answer);
      app.all('/api/hash', json, fromBody, answer);
      app.all(
        '/api/hash-header',
        json,
        guard((req) => req.get('x-vk-sign-payload')),
        answer,
      );
      app.all('/api/hash-throws', json, guard(brokenPayload), answer);
      app.all('/open/hash', json, fromBody, answer);
      const roles = requireGroupRole(...GROUP_ROLES, { onError });
      app.all('/api/role', roles, answer);
      app.all(
        '/api/groups/:groupId/role',
        requireGroupRole(...GROUP_ROLES, {
          groupId: (req) => groupIdOf(options, req.params.groupId as string),
          onError,
        }),
        answer,
      );
      app.all('/open/role', roles, answer);
      app.all('/api/hash-body', options.keepRawBody === false ? json : jsonKeepingRaw, bodyBound, answerWithBody);
      // The app's error-handling middleware: it records, then leaves the answer (500) to Express.
      const recordError: ErrorRequestHandler = (error, _req, _res, next) => {
        serverErrors.push(error);
        next(error);
      };
      app.use(recordError);

      return { seen, serverErrors, send: overHttp(app), close: async () => {} };
    },
  };
}

export const express5 = expressDriver('express 5', express);
export const express4 = expressDriver('express 4', expressV4);
