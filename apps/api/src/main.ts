import { Logger } from '@nestjs/common';
import { loadAppConfig } from '#platform';
import { apiConfigSchema } from './api-config.js';
import { createApiApp } from './create-api-app.js';

const config = loadAppConfig(apiConfigSchema);
const app = await createApiApp(config);
app.enableShutdownHooks();
await app.listen(config.API_PORT, config.API_HOST);
new Logger('Api').log(`listening on ${await app.getUrl()} (docs at /api/docs, live feed at /ws)`);
