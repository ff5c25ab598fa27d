// The NestJS smoke's ESM app: loads Nest by `import`, and the BUILT adapter by
// package name both by `import` and by `require` (createRequire), as apps do;
// serves one guarded route on both Nest platforms over real HTTP (the app is
// nestjs-smoke-app.cjs, shared with the CommonJS app nestjs-dist-smoke.cjs) and
// prints one JSON line of results.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as common from '@nestjs/common';
import * as core from '@nestjs/core';
import * as fastify from '@nestjs/platform-fastify';
import { signLaunchParams } from 'vk-miniapp-auth';
import * as imported from 'vk-miniapp-auth/nestjs';
import { builtFile, runSmoke } from './nestjs-smoke-app.cjs';

const require = createRequire(import.meta.url);
// The same test in both entries: false here, as Node runs this file as an ES module.
const app = typeof module === 'object' && typeof exports === 'object' ? 'cjs' : 'esm';
const { version, type = 'commonjs' } = JSON.parse(
  readFileSync(fileURLToPath(import.meta.resolve('@nestjs/core/package.json')), 'utf8'),
);
const results = await runSmoke({
  app,
  nest: { common, core, fastify, version, type },
  adapters: {
    import: { exports: imported, file: builtFile(fileURLToPath(import.meta.resolve('vk-miniapp-auth/nestjs'))) },
    require: { exports: require('vk-miniapp-auth/nestjs'), file: builtFile(require.resolve('vk-miniapp-auth/nestjs')) },
  },
  signLaunchParams,
});
console.log(JSON.stringify(results));
