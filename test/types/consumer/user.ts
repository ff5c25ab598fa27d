/** The app's user, shared by every adapter (Express and Fastify declare it once through `Register`). */
export interface User {
  id: number;
  vkUserId: number;
}

export async function getOrCreate(vkUserId: number): Promise<User> {
  return { id: 1, vkUserId };
}

export const secret = process.env.VK_APP_SECRET ?? '';
