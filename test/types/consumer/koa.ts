import Koa, { type Context, type Middleware } from 'koa';
import type { LaunchParams } from 'vk-miniapp-auth';
import {
  type MaxLaunch,
  type VkContext,
  type VkLaunch,
  type VkOrMaxContext,
  type VkState,
  vkMiniAppAuth,
} from 'vk-miniapp-auth/koa';
import { equalTypes } from './assert.js';
import { getOrCreate, secret, type User } from './user.js';

// docs/koa.md: the user is inferred from resolveUser into the state of the middleware chained after.
const vkAuth = vkMiniAppAuth({
  secret,
  appId: 6736218,
  resolveUser: (params, ctx) => {
    equalTypes<typeof params, LaunchParams>();
    equalTypes<typeof ctx, Context>();
    return getOrCreate(params.vk_user_id);
  },
});
equalTypes<typeof vkAuth, Middleware<VkState<User>>>();

export const app = new Koa().use(vkAuth).use((ctx) => {
  equalTypes<typeof ctx.state.vk, VkContext<User>>();
  equalTypes<typeof ctx.state.vk.params.vk_user_id, number>();
  const user: User = ctx.state.vk.user;
  // @ts-expect-error: the inferred user has no such field.
  ctx.state.vk.user.name;
  ctx.body = { user_id: user.id };
});

// `optional: true`, written literally: vk may be null.
new Koa().use(vkMiniAppAuth({ secret, optional: true })).use((ctx) => {
  equalTypes<typeof ctx.state.vk, VkContext<undefined> | null>();
});

// An app typed once, without chaining.
const typed = new Koa<VkState<User>>();
typed.use(vkMiniAppAuth({ secret, resolveUser: (params) => getOrCreate(params.vk_user_id) }));
typed.use((ctx) => {
  equalTypes<typeof ctx.state.vk.user, User>();
});

// docs/max.md: with `max`, ctx.state.vk is a VK, OK or MAX launch.
const anyLaunch = vkMiniAppAuth({
  secret,
  max: { botToken: process.env.MAX_BOT_TOKEN ?? '' },
  resolveUser: (params, _ctx, launch) => {
    equalTypes<typeof params, LaunchParams | undefined>();
    equalTypes<typeof launch, VkLaunch | MaxLaunch>();
    return getOrCreate(launch.userId);
  },
});
equalTypes<typeof anyLaunch, Middleware<VkState<User, false, true>>>();
new Koa().use(anyLaunch).use((ctx) => {
  equalTypes<typeof ctx.state.vk, VkOrMaxContext<User>>();
  const { vk } = ctx.state;
  ctx.body = vk.platform === 'max' ? { start: vk.max.start_param } : { app: vk.params.vk_app_id };
});

// MAX turned on per environment: `max` possibly undefined is typed as with it.
const perEnvironment = vkMiniAppAuth({
  secret,
  max: process.env.MAX_BOT_TOKEN ? { botToken: process.env.MAX_BOT_TOKEN } : undefined,
});
equalTypes<typeof perEnvironment, Middleware<VkState<undefined, false, true>>>();
