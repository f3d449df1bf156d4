import { Module } from '@nestjs/common';
import { EvaluationLifecycleService } from './evaluation-lifecycle.service.js';
import { EvaluationsController } from './evaluations.controller.js';

@Module({ controllers: [EvaluationsController], providers: [EvaluationLifecycleService], exports: [EvaluationLifecycleService] })
export class LifecycleModule {}
