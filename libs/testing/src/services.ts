/**
 * Where tests find NATS and Postgres: NATS_URL / DATABASE_URL when set, else the services on 127.0.0.1 that the
 * project's machines and CI run (`.ci/run` starts them if they are down). Under jest, jest/global-setup.ts sets
 * the variables once per run, to containers when a container engine answers and no URL was given.
 */
export interface TestServices {
  natsUrl: string;
  databaseUrl: string;
}

export const LOCAL_SERVICES: TestServices = {
  natsUrl: 'nats://127.0.0.1:4222',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
};

export const testServices = async (): Promise<TestServices> => ({
  natsUrl: process.env.NATS_URL || LOCAL_SERVICES.natsUrl,
  databaseUrl: process.env.DATABASE_URL || LOCAL_SERVICES.databaseUrl,
});
