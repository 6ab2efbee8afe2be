/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The app is served by `kontor serve` from the same origin; `npm run dev` proxies /api to a
// running server (KONTOR_DEV_API, default http://127.0.0.1:8080).
export default defineConfig({
  plugins: [react()],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  server: {
    proxy: { '/api': process.env.KONTOR_DEV_API ?? 'http://127.0.0.1:8080' },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
    chunkSizeWarningLimit: 600,
    // React and the router change less often than the app: their own chunk stays cached across
    // releases. Other libraries stay with the code that uses them, so a screen's components
    // (Timeline, ColorInput …) load with that screen, not on the first visit.
    rollupOptions: {
      output: {
        manualChunks(id) {
          return /node_modules\/(react|react-dom|scheduler|react-router)\//.test(id)
            ? 'react'
            : undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
  },
});
