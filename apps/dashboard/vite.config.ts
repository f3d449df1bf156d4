import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Built into dist/dashboard; the api serves its assets under /dashboard/ and index.html for page paths. */
export default defineConfig({
  root: here('.'),
  base: '/dashboard/',
  publicDir: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: here('../../dist/dashboard'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 300,
  },
  logLevel: 'warn',
});
