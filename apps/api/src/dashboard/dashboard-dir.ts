import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where `vite build` wrote the dashboard: `<repo>/dist/dashboard`. The repository root is the nearest folder with a
 * package.json above this file, which holds whether it runs from source (jest) or from dist/ (node).
 */
export const defaultDashboardDir = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'dist', 'dashboard');
    dir = parent;
  }
  return join(dir, 'dist', 'dashboard');
};
