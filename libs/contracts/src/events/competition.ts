import { z } from 'zod';
import { defineEvent } from '../define.js';
import { benchmarkSpecSchema, competitionIdSchema, positiveInt } from '../schemas.js';
import { text } from '../text.js';

export const competitionSettingsSchema = z.object({
  name: text().min(1).max(200),
  description: text().max(5000).default(''),
  benchmarks: z.array(benchmarkSpecSchema).min(1),
  /** Share of the subnet's emission this competition distributes, in [0, 1]. */
  weightShare: z.number().min(0).max(1),
  /** Largest Hub repo (all files at the revision) the scheduler accepts. */
  maxRepoBytes: positiveInt,
  submissionRateLimit: z.object({ count: positiveInt, perSeconds: positiveInt }),
  /** A challenger must beat the leader by this relative margin to take the top spot. */
  winMargin: z.number().min(0).max(1).default(0.05),
  minValidators: z.int().min(1).default(1),
  /** Eligibility: the least consensus success rate a submission needs to be ranked (absent: no minimum). */
  minSuccessRate: z.number().min(0).max(1).optional(),
  /** Eligibility: the least consensus mean episode reward a submission needs to be ranked (absent: no minimum). */
  minMeanReward: z.number().optional(),
  /** Upper clamp of the margin a challenger must beat the champion by, whatever the sampling error (absent: no clamp). */
  maxMarginGap: z.number().min(0).max(1).optional(),
  startsAt: z.iso.datetime({ offset: true }).nullable().default(null),
  endsAt: z.iso.datetime({ offset: true }).nullable().default(null),
});
export type CompetitionSettings = z.infer<typeof competitionSettingsSchema>;

/**
 * The settings as an update states them: every field optional and none defaulted. zod's `.partial()` keeps
 * defaults, which would silently reset every setting an update does not name.
 */
const competitionChangesSchema = z.object(
  Object.fromEntries(
    Object.entries(competitionSettingsSchema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()]),
  ) as unknown as { [K in keyof CompetitionSettings]-?: z.ZodOptional<z.ZodType<CompetitionSettings[K], CompetitionSettings[K]>> },
);

const byCompetition = (d: { competitionId: string }) => [d.competitionId];

export const CompetitionCreated = defineEvent({
  type: 'CompetitionCreated',
  aggregate: 'competition',
  aggregateKey: byCompetition,
  description: 'An operator defined a competition. It starts inactive.',
  schema: competitionSettingsSchema.extend({ competitionId: competitionIdSchema, createdBy: text().min(1) }),
});

export const CompetitionUpdated = defineEvent({
  type: 'CompetitionUpdated',
  aggregate: 'competition',
  aggregateKey: byCompetition,
  description: 'Settings changed; only the fields present changed. Jobs already created keep their frozen specs.',
  schema: z.object({
    competitionId: competitionIdSchema,
    changes: competitionChangesSchema.refine((c) => Object.keys(c).length > 0, 'must change something'),
    updatedBy: text().min(1),
  }),
});

export const CompetitionActivated = defineEvent({
  type: 'CompetitionActivated',
  aggregate: 'competition',
  aggregateKey: byCompetition,
  description: 'The competition accepts submissions from now on.',
  schema: z.object({ competitionId: competitionIdSchema, activatedBy: text().min(1) }),
});

export const CompetitionDeactivated = defineEvent({
  type: 'CompetitionDeactivated',
  aggregate: 'competition',
  aggregateKey: byCompetition,
  description: 'The competition stops accepting submissions; evaluations already under way finish.',
  schema: z.object({
    competitionId: competitionIdSchema,
    deactivatedBy: text().min(1),
    reason: text().max(1000).default(''),
  }),
});

export const competitionEvents = [CompetitionCreated, CompetitionUpdated, CompetitionActivated, CompetitionDeactivated] as const;
