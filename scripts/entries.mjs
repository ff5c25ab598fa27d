// Every subpath of the package, in one list: tsdown builds it, TypeDoc documents
// it, and package.json's "exports" and "typesVersions" are written from it
// (scripts/package-exports.mjs; a test fails when they drift apart).
//
// `web`: whether the entry gets a Web build (Web Crypto, no `node:` import) for
// runtimes without node:crypto (Workers, Vercel Edge, browsers). The adapters of
// Node-only frameworks have none: they are only ever loaded where Node's APIs are.

/** @type {readonly { subpath: string; name: string; source: string; web: boolean }[]} */
export const ENTRIES = [
  { subpath: '.', name: 'index', source: 'src/index.ts', web: true },
  { subpath: './express', name: 'express', source: 'src/adapters/express/index.ts', web: false },
  { subpath: './fastify', name: 'fastify', source: 'src/adapters/fastify/index.ts', web: false },
  { subpath: './nestjs', name: 'nestjs', source: 'src/adapters/nestjs/index.ts', web: false },
  { subpath: './hono', name: 'hono', source: 'src/adapters/hono/index.ts', web: true },
  { subpath: './koa', name: 'koa', source: 'src/adapters/koa/index.ts', web: false },
  { subpath: './next', name: 'next', source: 'src/adapters/next/index.ts', web: true },
  { subpath: './client', name: 'client', source: 'src/client.ts', web: true },
  { subpath: './testing', name: 'testing', source: 'src/testing.ts', web: true },
  { subpath: './payments', name: 'payments', source: 'src/payments.ts', web: true },
  { subpath: './session', name: 'session', source: 'src/session.ts', web: true },
  { subpath: './replay', name: 'replay', source: 'src/replay.ts', web: true },
  { subpath: './max', name: 'max', source: 'src/max.ts', web: true },
  { subpath: './socket.io', name: 'socket.io', source: 'src/adapters/socket.io/index.ts', web: false },
  { subpath: './ws', name: 'ws', source: 'src/adapters/ws/index.ts', web: false },
];
