import { useEffect, useState } from 'preact/hooks';

export type Resource<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: string };

/** Loads `load()` whenever a dependency changes; a stale answer (the page moved on) is dropped. */
export const useResource = <T>(load: () => Promise<T>, deps: unknown[]): Resource<T> => {
  const [resource, setResource] = useState<Resource<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setResource({ state: 'loading' });
    load().then(
      (value) => current && setResource({ state: 'ready', value }),
      (error: unknown) => current && setResource({ state: 'failed', error: (error as Error).message }),
    );
    return () => {
      current = false;
    };
  }, deps);
  return resource;
};
