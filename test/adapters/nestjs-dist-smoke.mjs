// Loads the BUILT adapter by package name, as an app would (ESM `import` and
// CJS `require` of `vk-miniapp-auth/nestjs`), serves one guarded route on
// both Nest platforms over real HTTP, and prints one JSON line of results.
// Plain JavaScript: Nest's decorators are applied as calls.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Controller, Get, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { signLaunchParams } from 'vk-miniapp-auth';
import * as esm from 'vk-miniapp-auth/nestjs';

const cjs = createRequire(import.meta.url)('vk-miniapp-auth/nestjs');
const SECRET = 'smoke-secret';

function appModule({ VkMiniAppAuthModule, VkMiniAppAuthGuard, VkUser, Public }) {
  class Api {
    me(user) {
      return { user_id: user.id };
    }
    health() {
      return { ok: true };
    }
  }
  Reflect.decorate([Controller()], Api);
  VkUser()(Api.prototype, 'me', 0);
  for (const [name, decorators] of [
    ['me', [Get('protected')]],
    ['health', [Public(), Get('health')]],
  ]) {
    const descriptor = Object.getOwnPropertyDescriptor(Api.prototype, name);
    Object.defineProperty(Api.prototype, name, Reflect.decorate(decorators, Api.prototype, name, descriptor));
  }
  class AppModule {}
  Reflect.decorate(
    [
      Module({
        imports: [
          VkMiniAppAuthModule.forRoot({ secret: SECRET, resolveUser: (params) => ({ id: params.vk_user_id }) }),
        ],
        controllers: [Api],
        providers: [{ provide: APP_GUARD, useClass: VkMiniAppAuthGuard }],
      }),
    ],
    AppModule,
  );
  return AppModule;
}

const results = {};
const query = await signLaunchParams({ vk_user_id: 7, vk_app_id: 1, vk_ts: Math.floor(Date.now() / 1000) }, SECRET);
for (const [format, entry] of [
  ['esm', esm],
  ['cjs', cjs],
]) {
  for (const platform of ['express', 'fastify']) {
    const module = appModule(entry);
    const app =
      platform === 'express'
        ? await NestFactory.create(module, { logger: false })
        : await NestFactory.create(module, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const ok = await fetch(`${url}/protected`, { headers: { authorization: `Bearer ${query}` } });
    const refused = await fetch(`${url}/protected`);
    const health = await fetch(`${url}/health`);
    results[`${format}/${platform}`] = {
      ok: [ok.status, await ok.json()],
      refused: [refused.status, refused.headers.get('www-authenticate'), (await refused.json()).code],
      health: health.status,
    };
    await app.close();
  }
}
console.log(JSON.stringify(results));
