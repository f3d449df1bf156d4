/**
 * Where the integration tests find NATS and Postgres: an explicit URL in the environment wins; otherwise
 * containers when a container engine answers; otherwise the services on 127.0.0.1 that the project's machines
 * and CI run (`.ci/run` starts them if they are down).
 */
export interface TestServices {
  natsUrl: string;
  databaseUrl: string;
  source: 'env' | 'containers' | 'local';
}

const LOCAL: TestServices = {
  natsUrl: 'nats://127.0.0.1:4222',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  source: 'local',
};

let resolved: Promise<TestServices> | undefined;

const containerEngineAvailable = async (): Promise<boolean> => {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
};

const startContainers = async (): Promise<TestServices> => {
  const { GenericContainer, Wait } = await import('testcontainers');
  const [nats, pg] = await Promise.all([
    new GenericContainer('nats:2.9-alpine').withCommand(['-js']).withExposedPorts(4222).withWaitStrategy(Wait.forLogMessage(/Server is ready/)).start(),
    new GenericContainer('postgres:15-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
  ]);
  return {
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
    databaseUrl: `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`,
    source: 'containers',
  };
};

const resolve = async (): Promise<TestServices> => {
  const { NATS_URL, DATABASE_URL, KINITRO_TEST_CONTAINERS } = process.env;
  if (NATS_URL || DATABASE_URL) {
    return { natsUrl: NATS_URL ?? LOCAL.natsUrl, databaseUrl: DATABASE_URL ?? LOCAL.databaseUrl, source: 'env' };
  }
  // Probing the engine costs a second per test file; only do it where one may exist.
  if (KINITRO_TEST_CONTAINERS !== '0' && (await containerEngineAvailable())) return startContainers();
  return LOCAL;
};

export const testServices = (): Promise<TestServices> => (resolved ??= resolve());
