import type { z } from 'zod';
import { ConfigError, loadConfig, type Config } from './config.js';

/** A part of the configuration read by other code (e.g. the Hub's HF_*): throws ConfigError or "VARIABLE: message". */
export type ConfigPart<T> = (env: Record<string, string | undefined>) => T;

const problemsOf = (error: unknown): ConfigError['problems'] => {
  if (error instanceof ConfigError) return error.problems;
  const [variable, ...message] = String((error as Error).message).split(': ');
  return [{ variable: variable ?? '?', message: message.join(': ') }];
};

/**
 * The shared variables plus an app's own schema (and any extra part). Every bad variable, shared, own or extra,
 * is named in one ConfigError, so an operator fixes them in one go.
 */
export const loadAppConfig = <S extends z.ZodObject, E extends object = object>(
  own: S,
  env: Record<string, string | undefined> = process.env,
  extra?: ConfigPart<E>,
): Config & z.infer<S> & E => {
  const problems: ConfigError['problems'] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (error) {
      problems.push(...problemsOf(error));
      return undefined;
    }
  };
  const shared = attempt(() => loadConfig(env));
  const present = Object.fromEntries(Object.keys(own.shape).flatMap((key) => (env[key] ? [[key, env[key]]] : [])));
  const parsed = own.safeParse(present);
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  const extras = extra ? attempt(() => extra(env)) : ({} as E);
  if (problems.length > 0 || !shared || !parsed.success || !extras) throw new ConfigError(problems);
  return { ...shared, ...parsed.data, ...extras };
};
