import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The api serves the built console at `/`; in development Vite proxies API calls to it.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: resolve(import.meta.dirname, '../../dist/console'), emptyOutDir: true, sourcemap: true },
  server: {
    // ws: the console's realtime call state (/api/realtime) goes through the dev server too.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true }, '/health': 'http://127.0.0.1:3000' },
  },
});
