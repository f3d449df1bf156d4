import type { StartedTestContainer } from 'testcontainers';

/** Stops the containers global-setup started, if it started any. */
export default async function globalTeardown(): Promise<void> {
  await Promise.all(((globalThis as { kinitroContainers?: StartedTestContainer[] }).kinitroContainers ?? []).map((c) => c.stop()));
}
