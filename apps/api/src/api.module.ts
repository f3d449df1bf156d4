import { Module, type DynamicModule } from '@nestjs/common';
import { AdminRequestsModule } from './admin/admin-requests.module.js';
import { AuditModule } from './audit/audit.module.js';
import type { ApiConfig, ApiSettings } from './api-config.js';
import { CommitmentsModule } from './commitments/commitments.module.js';
import { CompetitionsModule } from './competitions/competitions.module.js';
import { EpisodesModule } from './episodes/episodes.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { RateLimitModule } from './http/rate-limit.module.js';
import { InfrastructureModule } from './infrastructure/infrastructure.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { LifecycleModule } from './lifecycle/lifecycle.module.js';
import { LiveModule } from './live/live.module.js';
import { ObjectsModule } from './objects/objects.module.js';
import { RootModule } from './root/root.module.js';
import { ValidatorsModule } from './validators/validators.module.js';
import { JobStatusModule } from './job-status/job-status.module.js';
import { StepsModule } from './steps/steps.module.js';
import { ResultsModule } from './results/results.module.js';
import { StatsModule } from './stats/stats.module.js';
import { SubmissionsModule } from './submissions/submissions.module.js';
import { ScoresModule } from './scores/scores.module.js';
import { WeightsModule } from './weights/weights.module.js';

@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig, settings: ApiSettings): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        InfrastructureModule.forRoot(config),
        RateLimitModule.forRoot(settings),
        CompetitionsModule,
        SubmissionsModule,
        JobsModule,
        ResultsModule,
        EpisodesModule,
        ObjectsModule,
        LifecycleModule,
        StatsModule,
        HealthModule,
        LiveModule,
        EventsModule,
        CommitmentsModule,
        AdminRequestsModule,
        RootModule,
        ValidatorsModule,
        JobStatusModule,
        StepsModule,
        WeightsModule,
        ScoresModule,
        AuditModule,
      ],
    };
  }
}
