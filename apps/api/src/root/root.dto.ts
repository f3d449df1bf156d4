import { ApiProperty } from '@nestjs/swagger';

export class RootLinksDto {
  @ApiProperty({ example: '/api/docs', description: 'Interactive OpenAPI documentation' }) docs!: string;
  @ApiProperty({ example: '/api/docs-json', description: 'The OpenAPI document' }) openApi!: string;
  @ApiProperty({ example: '/api/v1/health' }) health!: string;
  @ApiProperty({ example: '/ws', description: 'The live event feed (WebSocket)' }) live!: string;
  @ApiProperty({ example: '/api/v1/competitions' }) competitions!: string;
  @ApiProperty({ example: '/api/v1/submissions' }) submissions!: string;
  @ApiProperty({ example: '/api/v1/jobs' }) jobs!: string;
  @ApiProperty({ example: '/api/v1/job-status' }) jobStatus!: string;
  @ApiProperty({ example: '/api/v1/results' }) results!: string;
  @ApiProperty({ example: '/api/v1/episodes' }) episodes!: string;
  @ApiProperty({ example: '/api/v1/steps' }) steps!: string;
  @ApiProperty({ example: '/api/v1/validators' }) validators!: string;
  @ApiProperty({ example: '/api/v1/commitments' }) commitments!: string;
  @ApiProperty({ example: '/api/v1/stats' }) stats!: string;
  @ApiProperty({ example: '/api/v1/events' }) events!: string;
}

export class RootDto {
  @ApiProperty({ example: 'kinitro-api' }) service!: string;
  @ApiProperty({ description: 'The platform version (package.json)', example: '0.1.0' }) version!: string;
  @ApiProperty({ type: () => RootLinksDto, description: 'Paths relative to this API’s origin' }) links!: RootLinksDto;
}
