import { verifyLaunchParams } from 'vk-miniapp-auth';

/** The VK user a request's Authorization header speaks for; rejects with a VkAuthError (a 401) otherwise. */
export async function vkUserId(authorization) {
  const params = await verifyLaunchParams(authorization, { secret: process.env.VK_APP_SECRET, appId: 6736218 });
  return params.vk_user_id; // a number, signed by VK for this app, less than an hour ago
}
