import type { StartedTestContainer } from 'testcontainers';

// Runs outside jest's module resolution: it may import packages, not the project's own TypeScript files.

const containerEngineAvailable = async (): Promise<boolean> => {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
};

const startContainers = async (): Promise<StartedTestContainer[]> => {
  const { GenericContainer, Wait } = await import('testcontainers');
  return Promise.all([
    new GenericContainer('nats:2.9-alpine')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start(),
    new GenericContainer('postgres:15-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
  ]);
};

/**
 * Once per jest run: an explicit NATS_URL / DATABASE_URL wins; otherwise containers when a container engine
 * answers (KINITRO_TEST_CONTAINERS=0 skips the probe); otherwise the workers use the local services. The URLs
 * reach every worker through the environment; global-teardown stops the containers.
 */
export default async function globalSetup(): Promise<void> {
  const { NATS_URL, DATABASE_URL, KINITRO_TEST_CONTAINERS } = process.env;
  if (NATS_URL || DATABASE_URL || KINITRO_TEST_CONTAINERS === '0' || !(await containerEngineAvailable())) return;
  const [nats, pg] = await startContainers();
  process.env.NATS_URL = `nats://${nats!.getHost()}:${nats!.getMappedPort(4222)}`;
  process.env.DATABASE_URL = `postgres://postgres@${pg!.getHost()}:${pg!.getMappedPort(5432)}/postgres`;
  (globalThis as { kinitroContainers?: StartedTestContainer[] }).kinitroContainers = [nats!, pg!];
}
