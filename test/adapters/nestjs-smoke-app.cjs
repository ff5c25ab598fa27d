// The app of the NestJS smoke, shared by its two entry scripts: the ESM app
// (nestjs-dist-smoke.mjs) and the CommonJS app (nestjs-dist-smoke.cjs). Each
// entry loads Nest and the BUILT adapter in its own module system and hands
// them in here, so this file loads neither itself. It is CommonJS so that both
// entries take it on every Node the package supports (`import` of a .cjs file,
// `require` of it), and the CommonJS app needs Node's require(esm) only for
// what it tests, Nest 12 itself, never for this file (an .mjs file would also
// do on Node 20.19+, as it has no top-level await, but would blur that).
// Plain JavaScript: Nest's decorators are applied as calls.
'use strict';

const SECRET = 'smoke-secret';

/** The app's root module, built from the Nest exports and one loaded copy of the adapter. */
function appModule({ common, core }, { VkMiniAppAuthModule, VkMiniAppAuthGuard, VkUser, Public }) {
  const { Controller, Get, Module } = common;
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
        providers: [{ provide: core.APP_GUARD, useClass: VkMiniAppAuthGuard }],
      }),
    ],
    AppModule,
  );
  return AppModule;
}

/**
 * Serves the guarded route with each loaded copy of the adapter on Express and
 * on Fastify over real HTTP, and returns what each answered, keyed
 * `<how the adapter was loaded>/<platform>`.
 *
 * @param {object} run
 * @param {'esm' | 'cjs'} run.app the module system the entry script runs in, as it found it
 * @param {{ common: object, core: object, fastify: object, version: string, type: string }} run.nest
 *   the Nest exports as the app loaded them, and @nestjs/core's version and package type
 * @param {Record<string, { exports: object, file: string }>} run.adapters each way the app loaded
 *   `vk-miniapp-auth/nestjs` (`import`, `require`): its exports and the file they came from
 * @param {(params: object, secret: string) => Promise<string>} run.signLaunchParams from `vk-miniapp-auth`
 */
async function runSmoke({ app, nest, adapters, signLaunchParams }) {
  const results = {};
  const query = await signLaunchParams({ vk_user_id: 7, vk_app_id: 1, vk_ts: Math.floor(Date.now() / 1000) }, SECRET);
  for (const [load, adapter] of Object.entries(adapters)) {
    for (const platform of ['express', 'fastify']) {
      const root = appModule(nest, adapter.exports);
      const server =
        platform === 'express'
          ? await nest.core.NestFactory.create(root, { logger: false })
          : await nest.core.NestFactory.create(root, new nest.fastify.FastifyAdapter(), { logger: false });
      await server.listen(0, '127.0.0.1');
      const url = await server.getUrl();
      const ok = await fetch(`${url}/protected`, { headers: { authorization: `Bearer ${query}` } });
      const refused = await fetch(`${url}/protected`);
      const health = await fetch(`${url}/health`);
      results[`${load}/${platform}`] = {
        app,
        adapter: adapter.file,
        nest: { version: nest.version, type: nest.type },
        ok: [ok.status, await ok.json()],
        refused: [refused.status, refused.headers.get('www-authenticate'), (await refused.json()).code],
        health: health.status,
      };
      await server.close();
    }
  }
  return results;
}

/** The tail of a resolved adapter file that tells the builds apart: `dist/node/nestjs.cjs`. */
function builtFile(path) {
  return path.replaceAll('\\', '/').split('/').slice(-3).join('/');
}

module.exports = { builtFile, runSmoke };
