// The NestJS smoke's CommonJS app: its own code is CommonJS, as a Nest app
// compiled to `"module": "commonjs"` is. It loads Nest and the BUILT adapter
// by `require` (on Nest 12, whose packages are ES modules only, that is
// Node's require(esm)), serves one guarded route on both Nest platforms over
// real HTTP (the app is nestjs-smoke-app.cjs, shared with the ESM app
// nestjs-dist-smoke.mjs) and prints one JSON line of results.
'use strict';
require('reflect-metadata');
const common = require('@nestjs/common');
const core = require('@nestjs/core');
const fastify = require('@nestjs/platform-fastify');
const { signLaunchParams } = require('vk-miniapp-auth');
const { builtFile, runSmoke } = require('./nestjs-smoke-app.cjs');

// The same test in both entries: true here, as Node runs this file as CommonJS.
const app = typeof module === 'object' && typeof exports === 'object' ? 'cjs' : 'esm';
const { version, type = 'commonjs' } = require('@nestjs/core/package.json');
runSmoke({
  app,
  nest: { common, core, fastify, version, type },
  adapters: {
    require: { exports: require('vk-miniapp-auth/nestjs'), file: builtFile(require.resolve('vk-miniapp-auth/nestjs')) },
  },
  signLaunchParams,
}).then(
  (results) => console.log(JSON.stringify(results)),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
