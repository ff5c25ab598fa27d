/**
 * Express types request state globally (`Express.Request`), so the user type of `req.vk`
 * cannot be inferred from `resolveUser`: an app declares it once through `Register`.
 *
 * That declaration is global to the whole TypeScript program, so it lives in this one file.
 * Every other test file must hold whether `Register` is declared or not (they use
 * `RegisteredUser`, never `unknown`).
 */
import express, { type RequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type ExpressVkMiniAppAuthOptions,
  type RegisteredUser,
  type VkContext,
  vkMiniAppAuth,
} from '../../src/adapters/express/index.js';
import type { LaunchParams } from '../../src/index.js';
import { launch, now, SECRET } from '../helpers.js';

interface AppUser {
  id: number;
  name: string;
}

// What an app writes, with 'vk-miniapp-auth/express' as the module name.
declare module '../../src/adapters/express/index.js' {
  interface Register {
    user: AppUser;
  }
}

const users = {
  async getOrCreate(vkUserId: number): Promise<AppUser> {
    return { id: vkUserId, name: 'Ivan' };
  },
};

describe('Register types req.vk.user on Express', () => {
  it('types req.vk.user as the declared user in every handler', async () => {
    expectTypeOf<RegisteredUser>().toEqualTypeOf<AppUser>();

    const app = express();
    app.use(vkMiniAppAuth({ secret: SECRET, now, resolveUser: (params) => users.getOrCreate(params.vk_user_id) }));
    app.get('/protected', (req, res) => {
      expectTypeOf(req.vk).toEqualTypeOf<VkContext<AppUser> | null | undefined>();
      if (!req.vk) throw new Error('unreachable: the middleware guards this route');
      const user = req.vk.user;
      expectTypeOf(user).toEqualTypeOf<AppUser>();
      expectTypeOf(user.name).toEqualTypeOf<string>();
      res.json({ user_id: user.id, name: user.name });
    });

    const response = await request(app)
      .get('/protected')
      .set('Authorization', `Bearer ${await launch()}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user_id: 494075, name: 'Ivan' });
  });

  it('checks resolveUser against the declared user', () => {
    // The declared user, a subtype, or a refusal: accepted.
    vkMiniAppAuth({ secret: SECRET, resolveUser: (params) => users.getOrCreate(params.vk_user_id) });
    vkMiniAppAuth({
      secret: SECRET,
      resolveUser: async (params) => ({ id: params.vk_user_id, name: 'Ivan', admin: true }),
    });
    vkMiniAppAuth({ secret: SECRET, resolveUser: (): AppUser | null => null });

    const wrongShape = async (params: LaunchParams) => ({ id: String(params.vk_user_id) });
    // @ts-expect-error: resolveUser must return the user declared through Register.
    vkMiniAppAuth({ secret: SECRET, resolveUser: wrongShape });

    // Options written apart are checked too: ExpressVkMiniAppAuthOptions defaults to the declared user.
    const options: ExpressVkMiniAppAuthOptions = {
      secret: SECRET,
      // @ts-expect-error: a number is not the declared user.
      resolveUser: (params) => params.vk_user_id,
    };
    expectTypeOf(options.resolveUser).not.toBeAny();
    expectTypeOf(vkMiniAppAuth).returns.toEqualTypeOf<RequestHandler>();
  });
});
