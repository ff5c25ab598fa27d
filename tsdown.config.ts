import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'tsdown';

const entry = { index: 'src/index.ts' };
const webRuntime = fileURLToPath(new URL('./src/crypto/runtime.web.ts', import.meta.url));

// The Web build is the same source with Web Crypto behind it: the only file
// that differs is the one that picks the crypto backend.
const useWebCrypto = {
  name: 'vk-miniapp-auth:web-crypto',
  resolveId(id: string) {
    return id === './crypto/runtime.js' ? webRuntime : null;
  },
};

const shared: UserConfig = {
  entry,
  format: ['esm', 'cjs'],
  fixedExtension: true,
  target: 'es2022',
  clean: true,
  sourcemap: false,
};

export default defineConfig([
  { ...shared, outDir: 'dist/node', platform: 'node', dts: true },
  { ...shared, outDir: 'dist/web', platform: 'neutral', dts: false, plugins: [useWebCrypto] },
]);
