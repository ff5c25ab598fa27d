// Compiled where ES modules are (bundler, nodenext ESM): top-level await compiles only in an ES module.
import { type LaunchParams, verifyLaunchParams } from 'vk-miniapp-auth';
import { equalTypes } from './assert.js';
import { secret } from './user.js';

const params = await verifyLaunchParams(process.env.LAUNCH_QUERY ?? '', { secret });
equalTypes<typeof params, LaunchParams>();
equalTypes<typeof params.vk_user_id, number>();

export { params };
