import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('./src/web', import.meta.url));

/** The web app: built into dist/web, served by the Fastify server (src/server/web-app.ts). */
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No source of the server's secrets ever lands here: the app only imports src/web and src/core.
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npm run dev:web` proxies the API to a running `npm start`.
    proxy: { '/api': 'http://localhost:3000', '/verify': 'http://localhost:3000' },
  },
});
