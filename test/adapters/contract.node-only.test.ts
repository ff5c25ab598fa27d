// The adapter contract (contract.ts) against every adapter: Express 4 and 5, Fastify 4 and 5,
// Koa 2 and 3, Hono, Next.js, and NestJS on its Express and Fastify platforms (every-adapter.ts).
// It runs once, in the node-crypto project; Hono and Next.js, the adapters that run on Web
// runtimes, run it again under Web Crypto from hono.test.ts and next.test.ts.
import { describeContract } from './contract.js';
import { DRIVERS } from './every-adapter.js';

describeContract(DRIVERS);
