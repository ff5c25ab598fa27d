import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    reporters: ['default', './test/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'node-crypto', env: { EXPECTED_CRYPTO_BACKEND: 'node' } },
      },
      {
        // The same suite again with Web Crypto behind the library, as on Workers and Vercel Edge.
        extends: true,
        // A condition of our own, first in package.json's "imports" for #crypto: Web Crypto on Node.
        resolve: { conditions: ['vk-miniapp-auth:web-crypto'] },
        ssr: { resolve: { conditions: ['vk-miniapp-auth:web-crypto'] } },
        test: {
          name: 'web-crypto',
          env: { EXPECTED_CRYPTO_BACKEND: 'web' },
          // Tests that spawn other processes or read the build run once, in the Node project.
          exclude: ['test/**/*.node-only.test.ts'],
        },
      },
      {
        // The compile-time assertions (expectTypeOf) of the suite, checked by the compiler and
        // reported as tests: a type that regresses fails the run, not only `npm run typecheck`.
        extends: true,
        test: {
          name: 'types',
          typecheck: {
            enabled: true,
            only: true,
            // The files that hold expectTypeOf assertions.
            include: ['test/adapters/*.test.ts'],
            tsconfig: './tsconfig.json',
          },
        },
      },
    ],
  },
});
