import { StartupError } from '#platform';
import { runUntilSignalled } from '#platform/nest';
import { loadApiConfig } from './api-config.js';
import { createApiApp } from './create-api-app.js';

runUntilSignalled('Api', async (logger) => {
  const config = loadApiConfig();
  const app = await createApiApp(config);
  try {
    await app.listen(config.API_PORT, config.API_HOST);
  } catch (error) {
    await app.close();
    const code = (error as { code?: string }).code ?? (error as Error).message;
    throw new StartupError(`cannot listen on ${config.API_HOST}:${config.API_PORT} (${code}): check API_HOST and API_PORT`, 1, { cause: error });
  }
  logger.log(`listening on ${await app.getUrl()} (docs at /api/docs, live feed at /ws, readiness at /api/v1/health/ready)`);
  return { close: () => app.close() };
});
