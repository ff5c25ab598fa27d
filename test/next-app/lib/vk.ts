// The docs' pattern (docs/next.md): options read from the environment when the
// module loads. `next build` loads this module without VK_APP_SECRET and
// VK_APP_ID; the adapter must not throw then.
import { vkMiniAppAuth } from 'vk-miniapp-auth/next';

export interface User {
  id: number;
  vkUserId: number;
}

const users = new Map<number, User>(); // your database in a real app

async function getOrCreate(vkUserId: number): Promise<User> {
  let user = users.get(vkUserId);
  if (user === undefined) {
    user = { id: users.size + 1, vkUserId };
    users.set(vkUserId, user);
  }
  return user;
}

export const withVk = vkMiniAppAuth({
  secret: process.env.VK_APP_SECRET!,
  appId: Number(process.env.VK_APP_ID),
  resolveUser: (params) => getOrCreate(params.vk_user_id),
});

/** The same check with a database that is down: resolveUser throws. */
export const withVkDatabaseDown = vkMiniAppAuth({
  secret: process.env.VK_APP_SECRET!,
  appId: Number(process.env.VK_APP_ID),
  resolveUser: (): User => {
    throw new Error('the database is down');
  },
});
