import { Controller, Get, Injectable, Module, Post, Req } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Request } from 'express';
import type { FastifyRequest } from 'fastify';
import type { LaunchParams, VkAuthErrorCode } from 'vk-miniapp-auth';
import {
  Public,
  RequireCreateHash,
  type VkContext,
  type VkHttpRequest,
  VkLaunchParams,
  VkMiniAppAuthGuard,
  VkMiniAppAuthModule,
  type VkRequest,
  type VkUnauthorizedException,
  VkUser,
} from 'vk-miniapp-auth/nestjs';
import { equalTypes } from './assert.js';
import { getOrCreate, secret, type User } from './user.js';

// docs/nestjs.md, with real decorator syntax (experimentalDecorators, as the Nest CLI sets it).

@Injectable()
export class UserService {
  getOrCreate(vkUserId: number): Promise<User> {
    return getOrCreate(vkUserId);
  }
}

@Module({ providers: [UserService], exports: [UserService] })
export class UsersModule {}

@Controller()
export class AppController {
  @Get('protected')
  getProtected(
    @VkLaunchParams('vk_user_id') vkUserId: number,
    @VkLaunchParams() params: LaunchParams,
    @VkUser() user: User,
    @Req() req: VkRequest<User>,
  ) {
    equalTypes<typeof req.vk, VkContext<User> | null | undefined>();
    equalTypes<NonNullable<typeof req.vk>['params'], LaunchParams>();
    equalTypes<NonNullable<typeof req.vk>['params']['vk_user_id'], number>();
    const fromRequest: User | undefined = req.vk?.user;
    return { user_id: vkUserId, app_id: params.vk_app_id, id: user.id, same: fromRequest === user };
  }

  @Public()
  @Get('health')
  health() {
    return { ok: true };
  }

  @Post('transfer')
  @RequireCreateHash<Request>({ payload: (req) => req.body?.requestId, maxAge: 300 })
  transfer(@VkUser() user: User) {
    return { ok: true, from: user.id };
  }
}

@Module({
  imports: [
    VkMiniAppAuthModule.forRootAsync({
      imports: [UsersModule],
      inject: [UserService],
      useFactory: (users: UserService) => ({
        secret,
        appId: 6736218,
        resolveUser: (params) => {
          equalTypes<typeof params, LaunchParams>();
          return users.getOrCreate(params.vk_user_id);
        },
      }),
    }),
  ],
  controllers: [AppController],
  providers: [{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }],
})
export class AppModule {}

// The decorators' types.
equalTypes<Parameters<typeof VkLaunchParams>[0], keyof LaunchParams | undefined>();
equalTypes<ReturnType<typeof VkUser>, ParameterDecorator>();
equalTypes<ReturnType<typeof VkLaunchParams>, ParameterDecorator>();
equalTypes<ReturnType<typeof Public>, ClassDecorator & MethodDecorator>();
// @ts-expect-error: not a launch param.
VkLaunchParams('user_id');
equalTypes<VkUnauthorizedException['code'], VkAuthErrorCode>();
// VkRequest's user defaults to the one declared through Register (express.ts, fastify.ts).
equalTypes<VkRequest['vk'], VkContext<User> | null | undefined>();

// forRoot checks resolveUser against the user type given.
VkMiniAppAuthModule.forRoot<User>({
  secret,
  // @ts-expect-error: resolveUser must return a User.
  resolveUser: (params) => params.vk_user_id,
});

// getCredentials and resolveUser get the platform's request when the parameter is annotated.
VkMiniAppAuthModule.forRoot({
  secret,
  getCredentials: (req: FastifyRequest) => req.headers['x-launch-params'] as string | undefined,
  resolveUser: (params, req) => {
    equalTypes<typeof req, FastifyRequest>();
    return getOrCreate(params.vk_user_id);
  },
});

// Without `max: true` in Register, the guard's request holds VK and OK launches only.
equalTypes<VkHttpRequest['vk'], VkContext<unknown> | null | undefined>();
