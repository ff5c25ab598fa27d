import {
  type isValidLaunchParams,
  type LaunchParams,
  type parseLaunchParams,
  VkAuthError,
  type VkAuthErrorCode,
  verifyLaunchParams,
} from 'vk-miniapp-auth';
import { equalTypes } from './assert.js';
import { secret } from './user.js';

export async function whoAmI(launchQuery: string): Promise<number> {
  const pending = verifyLaunchParams(launchQuery, { secret, appId: 6736218 });
  equalTypes<typeof pending, Promise<LaunchParams>>();
  const params = await pending;
  equalTypes<typeof params.vk_user_id, number>();
  equalTypes<typeof params.vk_app_id, number>();
  equalTypes<ReturnType<typeof parseLaunchParams>, LaunchParams>();
  equalTypes<Awaited<ReturnType<typeof isValidLaunchParams>>, boolean>();
  // @ts-expect-error: the secret is required.
  await verifyLaunchParams(launchQuery, {});
  return params.vk_user_id;
}

export function codeOf(error: unknown): VkAuthErrorCode | undefined {
  if (!VkAuthError.is(error)) return undefined;
  equalTypes<typeof error, VkAuthError>();
  equalTypes<typeof error.code, VkAuthErrorCode>();
  return error.code;
}
