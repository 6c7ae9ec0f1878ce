// The console's build (`vite build ui`): served by the API at /ui, hashed assets under /ui/assets/.
// `vite dev ui` proxies /v1 to a local API on its default port so the same code runs against it.
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/ui/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: { proxy: { '/v1': { target: 'http://127.0.0.1:8080' } } },
});
