import { Module } from '@nestjs/common';
import { AdminCompetitionsController } from '../admin/admin-competitions.controller.js';
import { AdminCompetitionsService } from '../admin/admin-competitions.service.js';
import { AuthModule } from '../auth/auth.module.js';
import { LeaderboardController } from '../leaderboard/leaderboard.controller.js';
import { LeaderboardService } from '../leaderboard/leaderboard.service.js';
import { LeaderboardsController } from '../leaderboard/leaderboards.controller.js';
import { SubmissionLeaderboardService } from '../leaderboard/submission-leaderboard.service.js';
import { CompetitionsController } from './competitions.controller.js';
import { CompetitionsService } from './competitions.service.js';

@Module({
  imports: [AuthModule],
  controllers: [CompetitionsController, LeaderboardController, LeaderboardsController, AdminCompetitionsController],
  providers: [CompetitionsService, LeaderboardService, SubmissionLeaderboardService, AdminCompetitionsService],
})
export class CompetitionsModule {}
