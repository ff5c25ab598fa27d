// Compiled in the nodenext CommonJS project only: `import … = require(…)` compiles only in a CommonJS module.
import vk = require('vk-miniapp-auth');
import vkExpress = require('vk-miniapp-auth/express');

import { equalTypes } from './assert.js';
import type { User } from './user.js';

export async function whoAmI(launchQuery: string): Promise<number> {
  const params = await vk.verifyLaunchParams(launchQuery, { secret: 'secret' });
  equalTypes<typeof params, vk.LaunchParams>();
  equalTypes<typeof params.vk_user_id, number>();
  return params.vk_user_id;
}

equalTypes<vkExpress.RegisteredUser, User>();
equalTypes<ReturnType<typeof vkExpress.vkMiniAppAuth>, import('express').RequestHandler>();
