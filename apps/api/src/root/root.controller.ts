import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PLATFORM_VERSION } from '#platform';
import { API_PREFIX } from '../http/prefix.js';
import { RootDto } from './root.dto.js';

const under = (path: string): string => `/${API_PREFIX}/${path}`;

/** What a client finds first: which service this is, its version, and where everything else lives. */
const ROOT: RootDto = {
  service: 'kinitro-api',
  version: PLATFORM_VERSION,
  links: {
    docs: '/api/docs',
    openApi: '/api/docs-json',
    health: under('health'),
    live: '/ws',
    competitions: under('competitions'),
    submissions: under('submissions'),
    jobs: under('jobs'),
    jobStatus: under('job-status'),
    results: under('results'),
    episodes: under('episodes'),
    steps: under('steps'),
    validators: under('validators'),
    commitments: under('commitments'),
    stats: under('stats'),
    events: under('events'),
  },
};

/** Served at `/`, outside the `/api/v1` prefix (create-api-app excludes it). */
@ApiTags('root')
@Controller()
export class RootController {
  @Get()
  @ApiOperation({ summary: 'Service name, version and links to the documentation, health and collections' })
  @ApiOkResponse({ type: RootDto })
  root(): RootDto {
    return ROOT;
  }
}
