import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { contentKey } from '#storage';
import { PathParam } from '../http/fields.js';
import { SHA256 } from '../http/formats.js';
import { ObjectServing, type ObjectRequest, type ObjectResponse } from './object-serving.service.js';

@ApiTags('objects')
@Controller('objects')
export class ObjectsController {
  constructor(private readonly serving: ObjectServing) {}

  @Get('sha256/:hex')
  @ApiOperation({ summary: 'One stored object by its sha256 (frames, trajectories), Range supported' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The object (frames: image/png sprite sheets; trajectories), with its Content-Type, ETag = its sha256, immutable caching' })
  @ApiResponse({ status: 206, description: 'The byte range asked for with `Range: bytes=start-end`' })
  @ApiResponse({ status: 416, description: 'A range past the end (problem+json, `Content-Range: bytes */size`)' })
  @ApiNotFoundResponse({ description: 'No object with that sha256 (problem+json)' })
  get(@PathParam('hex', SHA256) hex: string, @Req() request: ObjectRequest, @Res() response: ObjectResponse): Promise<void> {
    return this.serving.send(contentKey(hex), request, response);
  }
}
