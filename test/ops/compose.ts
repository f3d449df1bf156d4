import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Reads a `.env` file: KEY=value lines, comments and blanks ignored. */
export const readDotenv = (path: string): Record<string, string> =>
  Object.fromEntries(
    readFileSync(path, 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

/**
 * Compose's interpolation (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/):
 * `${V}`, `${V:-default}`, `${V-default}`, `${V:?error}`, `${V?error}`, `$$`. A required variable that is missing
 * throws with compose's own error text, as `docker compose config` would.
 */
export const interpolate = (text: string, vars: Record<string, string>): string =>
  text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (match, name: string | undefined, colon: string, op: string, arg: string) => {
    if (match === '$$') return '$';
    const value = vars[name!];
    const unset = value === undefined || (colon === ':' && value === '');
    if (!op) return value ?? '';
    if (op === '-') return unset ? arg : value;
    if (unset) throw new Error(`required variable ${name} is missing a value: ${arg}`);
    return value;
  });

export interface ComposeService {
  labels?: Record<string, string>;
  environment?: Record<string, string | number | boolean | null>;
  build?: { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  healthcheck?: { test?: string[] };
  deploy?: { replicas?: number | string };
  secrets?: string[];
  depends_on?: Record<string, unknown>;
}

/** The compose file as compose sees it after interpolation and YAML merge keys (`<<`). */
export const loadCompose = (path: string, vars: Record<string, string>): { services: Record<string, ComposeService>; secrets?: Record<string, unknown> } =>
  parse(interpolate(readFileSync(path, 'utf8'), vars), { merge: true });

/** A service's environment as the container receives it: every value a string. */
export const serviceEnv = (service: ComposeService): Record<string, string> =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v === null ? '' : String(v)]));
