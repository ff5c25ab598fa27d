import { type Context, Hono } from 'hono';
import type { LaunchParams } from 'vk-miniapp-auth';
import {
  type MaxLaunch,
  type VkContext,
  type VkEnv,
  type VkLaunch,
  type VkMiddleware,
  type VkOrMaxContext,
  type VkVariables,
  vkMiniAppAuth,
} from 'vk-miniapp-auth/hono';
import { equalTypes } from './assert.js';
import { getOrCreate, secret, type User } from './user.js';

// docs/hono.md: the user is inferred from resolveUser, through the middleware's own Env.
const vkAuth = vkMiniAppAuth({
  secret,
  appId: 6736218,
  resolveUser: (params, c) => {
    equalTypes<typeof params, LaunchParams>();
    equalTypes<typeof c, Context>();
    return getOrCreate(params.vk_user_id);
  },
});
equalTypes<typeof vkAuth, VkMiddleware<User>>();

export const app = new Hono().use('/protected', vkAuth).get('/protected', (c) => {
  const vk = c.get('vk');
  equalTypes<typeof vk, VkContext<User>>();
  equalTypes<typeof c.var.vk.user, User>();
  equalTypes<typeof vk.params.vk_user_id, number>();
  const user: User = vk.user;
  // @ts-expect-error: the inferred user has no such field.
  vk.user.name;
  return c.json({ user_id: user.id });
});

// The handler after the middleware, on one route; `optional: true` makes vk nullable.
export const one = new Hono().get('/me', vkMiniAppAuth({ secret, optional: true }), (c) => {
  const vk = c.get('vk');
  equalTypes<typeof vk, VkContext<undefined> | null>();
  return c.json({ user_id: vk?.params.vk_user_id });
});

// An app typed up front with VkVariables.
const typed = new Hono<{ Variables: VkVariables<User> }>();
typed.use('/api/*', vkMiniAppAuth({ secret, resolveUser: (params) => getOrCreate(params.vk_user_id) }));
typed.get('/api/me', (c) => {
  equalTypes<typeof c.var.vk, VkContext<User>>();
  return c.json({ user_id: c.get('vk').user.id });
});

// On Workers: made from c.env on the first request, then called with the app's own Context, no cast.
const workers = new Hono<{ Bindings: { VK_APP_SECRET: string }; Variables: VkVariables }>();
let lazyAuth: VkMiddleware | undefined;
workers.use('/api/*', (c, next) => {
  lazyAuth ??= vkMiniAppAuth({ secret: c.env.VK_APP_SECRET });
  return lazyAuth(c, next);
});
workers.get('/api/me', (c) => c.json({ user_id: c.get('vk').params.vk_user_id }));

new Hono<VkEnv<User>>().get('/', (c) => {
  equalTypes<typeof c.var.vk, VkContext<User>>();
  return c.text('ok');
});

// Nothing is added to Hono's global ContextVariableMap.
new Hono().get('/', (c) => {
  // @ts-expect-error: vk exists only where the middleware is used.
  c.get('vk');
  return c.text('ok');
});

// docs/max.md: with `max`, vk is a VK, OK or MAX launch, narrowed on platform; resolveUser gets the launch.
const anyLaunch = vkMiniAppAuth({
  secret,
  max: { botToken: process.env.MAX_BOT_TOKEN ?? '' },
  resolveUser: (params, _c, launch) => {
    equalTypes<typeof params, LaunchParams | undefined>();
    equalTypes<typeof launch, VkLaunch | MaxLaunch>();
    return getOrCreate(launch.userId);
  },
});
equalTypes<typeof anyLaunch, VkMiddleware<User, false, true>>();
export const anyPlatform = new Hono().use('/any', anyLaunch).get('/any', (c) => {
  const vk = c.get('vk');
  equalTypes<typeof vk, VkOrMaxContext<User>>();
  equalTypes<typeof vk.platform, 'vk' | 'ok' | 'max'>();
  if (vk.platform === 'max') {
    equalTypes<typeof vk.max.user, MaxLaunch['max']['user']>();
    // @ts-expect-error: a MAX launch has no launch params.
    vk.params.vk_user_id;
  } else {
    equalTypes<typeof vk.params.vk_user_id, number>();
  }
  return c.json({ platform: vk.platform, userId: vk.userId });
});
// @ts-expect-error: with max, params is undefined for a MAX launch.
vkMiniAppAuth({ secret, max: { botToken: '' }, resolveUser: (params) => getOrCreate(params.vk_user_id) });

// MAX turned on per environment: `max` possibly undefined is typed as with it.
const perEnvironment = vkMiniAppAuth({
  secret,
  max: process.env.MAX_BOT_TOKEN ? { botToken: process.env.MAX_BOT_TOKEN } : undefined,
});
equalTypes<typeof perEnvironment, VkMiddleware<undefined, false, true>>();
