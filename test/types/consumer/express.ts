import express, { type RequestHandler } from 'express';
import type { LaunchParams } from 'vk-miniapp-auth';
import {
  type ExpressVkMiniAppAuthOptions,
  type RegisteredUser,
  requireCreateHash,
  type VkContext,
  vkMiniAppAuth,
} from 'vk-miniapp-auth/express';
import { equalTypes } from './assert.js';
import { getOrCreate, secret, type User } from './user.js';

// docs/express.md: declare the user once, for every handler. Fastify's file declares the same
// `User`: the adapters share one `Register`.
declare module 'vk-miniapp-auth/express' {
  interface Register {
    user: User;
  }
}

equalTypes<RegisteredUser, User>();

const app = express();

const auth = vkMiniAppAuth({ secret, appId: 6736218, resolveUser: (params) => getOrCreate(params.vk_user_id) });
equalTypes<typeof auth, RequestHandler>();
app.use(auth);

app.get('/protected', (req, res) => {
  equalTypes<typeof req.vk, VkContext<User> | null | undefined>();
  if (!req.vk) return; // the middleware guards this route: req.vk! in the docs
  const user: User = req.vk.user;
  equalTypes<typeof req.vk.user, User>();
  equalTypes<typeof req.vk.params, LaunchParams>();
  equalTypes<typeof req.vk.params.vk_user_id, number>();
  // @ts-expect-error: the registered user has no such field.
  req.vk.user.name;
  res.json({ user_id: user.id });
});

app.post('/transfer', express.json(), requireCreateHash({ secret, payload: (req) => req.body?.requestId }));

// resolveUser is checked against the registered user, inline and in options written apart.
// @ts-expect-error: resolveUser must return the user declared through Register.
vkMiniAppAuth({ secret, resolveUser: (params) => ({ id: String(params.vk_user_id) }) });
export const options: ExpressVkMiniAppAuthOptions = {
  secret,
  // @ts-expect-error: a number is not the registered user.
  resolveUser: (params) => params.vk_user_id,
  onError: (error, _req, res) => {
    res.status(error.status).json({ code: error.code });
  },
};

export { app };
