import { Module } from '@nestjs/common';
import { ValidatorsController } from './validators.controller.js';
import { ValidatorsService } from './validators.service.js';

@Module({ controllers: [ValidatorsController], providers: [ValidatorsService] })
export class ValidatorsModule {}
